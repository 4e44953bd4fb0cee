#!/bin/sh
# The program as the shared host's Apache sees it: upload to the document root beside .htaccess,
# mode 0755, and set APP to the folder you uploaded the release to (outside the document root).
# The variables are set here rather than with SetEnv in .htaccess because hosts that run
# programs under suEXEC clear any variable they do not know.
APP=/home/USER/movieclassifier
MOVIECLASSIFIER_MODEL=$APP/model/classifier.mcm \
MOVIECLASSIFIER_DB=$APP/data/feedback.sqlite \
MOVIECLASSIFIER_WWW=$APP/www \
MOVIECLASSIFIER_WORKERS=1 \
    exec "$APP/bin/movieclassifier-fcgi"
