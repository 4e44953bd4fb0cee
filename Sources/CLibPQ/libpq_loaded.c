/* libpq through dlopen: see libpq_loaded.h. */
#include "libpq_loaded.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded = -1;
static char failure[512] = "libpq was not loaded";

static PGconn * (*PQconnectdbParams_pointer)(const char *const *keywords, const char *const *values, int expand_dbname);
static void (*PQfinish_pointer)(PGconn *conn);
static void (*PQreset_pointer)(PGconn *conn);
static ConnStatusType (*PQstatus_pointer)(const PGconn *conn);
static PGTransactionStatusType (*PQtransactionStatus_pointer)(const PGconn *conn);
static char * (*PQerrorMessage_pointer)(const PGconn *conn);
static int (*PQsocket_pointer)(const PGconn *conn);
static int (*PQconsumeInput_pointer)(PGconn *conn);
static PGnotify * (*PQnotifies_pointer)(PGconn *conn);
static PGresult * (*PQexecParams_pointer)(PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat);
static ExecStatusType (*PQresultStatus_pointer)(const PGresult *res);
static char * (*PQresStatus_pointer)(ExecStatusType status);
static char * (*PQresultErrorMessage_pointer)(const PGresult *res);
static char * (*PQresultErrorField_pointer)(const PGresult *res, int fieldcode);
static int (*PQntuples_pointer)(const PGresult *res);
static int (*PQnfields_pointer)(const PGresult *res);
static char * (*PQfname_pointer)(const PGresult *res, int field_num);
static char * (*PQgetvalue_pointer)(const PGresult *res, int tup_num, int field_num);
static int (*PQgetisnull_pointer)(const PGresult *res, int tup_num, int field_num);
static char * (*PQcmdStatus_pointer)(PGresult *res);
static char * (*PQcmdTuples_pointer)(PGresult *res);
static void (*PQclear_pointer)(PGresult *res);
static char * (*PQescapeIdentifier_pointer)(PGconn *conn, const char *str, size_t len);
static void (*PQfreemem_pointer)(void *ptr);
static PQconninfoOption * (*PQconninfoParse_pointer)(const char *conninfo, char **errmsg);
static void (*PQconninfoFree_pointer)(PQconninfoOption *connOptions);

static void load(void) {
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(failure, sizeof failure, "cannot load libpq (%s): install it (Debian: apt-get install libpq5)", dlerror());
        return;
    }
    const char *missing = NULL;
#define FIND(name) \
    if ((*(void **)&name##_pointer = dlsym(library, #name)) == NULL && missing == NULL) missing = #name;
    FIND(PQconnectdbParams)
    FIND(PQfinish)
    FIND(PQreset)
    FIND(PQstatus)
    FIND(PQtransactionStatus)
    FIND(PQerrorMessage)
    FIND(PQsocket)
    FIND(PQconsumeInput)
    FIND(PQnotifies)
    FIND(PQexecParams)
    FIND(PQresultStatus)
    FIND(PQresStatus)
    FIND(PQresultErrorMessage)
    FIND(PQresultErrorField)
    FIND(PQntuples)
    FIND(PQnfields)
    FIND(PQfname)
    FIND(PQgetvalue)
    FIND(PQgetisnull)
    FIND(PQcmdStatus)
    FIND(PQcmdTuples)
    FIND(PQclear)
    FIND(PQescapeIdentifier)
    FIND(PQfreemem)
    FIND(PQconninfoParse)
    FIND(PQconninfoFree)
#undef FIND
    if (missing != NULL) {
        snprintf(failure, sizeof failure, "libpq.so.5 has no %s: install a newer libpq", missing);
        return;
    }
    loaded = 0;
}

int mc_libpq_load(void) {
    pthread_once(&once, load);
    return loaded;
}

const char *mc_libpq_error(void) {
    return failure;
}

PGconn * mc_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) { return PQconnectdbParams_pointer(keywords, values, expand_dbname); }
void mc_PQfinish(PGconn *conn) { PQfinish_pointer(conn); }
void mc_PQreset(PGconn *conn) { PQreset_pointer(conn); }
ConnStatusType mc_PQstatus(const PGconn *conn) { return PQstatus_pointer(conn); }
PGTransactionStatusType mc_PQtransactionStatus(const PGconn *conn) { return PQtransactionStatus_pointer(conn); }
char * mc_PQerrorMessage(const PGconn *conn) { return PQerrorMessage_pointer(conn); }
int mc_PQsocket(const PGconn *conn) { return PQsocket_pointer(conn); }
int mc_PQconsumeInput(PGconn *conn) { return PQconsumeInput_pointer(conn); }
PGnotify * mc_PQnotifies(PGconn *conn) { return PQnotifies_pointer(conn); }
PGresult * mc_PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat) { return PQexecParams_pointer(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat); }
ExecStatusType mc_PQresultStatus(const PGresult *res) { return PQresultStatus_pointer(res); }
char * mc_PQresStatus(ExecStatusType status) { return PQresStatus_pointer(status); }
char * mc_PQresultErrorMessage(const PGresult *res) { return PQresultErrorMessage_pointer(res); }
char * mc_PQresultErrorField(const PGresult *res, int fieldcode) { return PQresultErrorField_pointer(res, fieldcode); }
int mc_PQntuples(const PGresult *res) { return PQntuples_pointer(res); }
int mc_PQnfields(const PGresult *res) { return PQnfields_pointer(res); }
char * mc_PQfname(const PGresult *res, int field_num) { return PQfname_pointer(res, field_num); }
char * mc_PQgetvalue(const PGresult *res, int tup_num, int field_num) { return PQgetvalue_pointer(res, tup_num, field_num); }
int mc_PQgetisnull(const PGresult *res, int tup_num, int field_num) { return PQgetisnull_pointer(res, tup_num, field_num); }
char * mc_PQcmdStatus(PGresult *res) { return PQcmdStatus_pointer(res); }
char * mc_PQcmdTuples(PGresult *res) { return PQcmdTuples_pointer(res); }
void mc_PQclear(PGresult *res) { PQclear_pointer(res); }
char * mc_PQescapeIdentifier(PGconn *conn, const char *str, size_t len) { return PQescapeIdentifier_pointer(conn, str, len); }
void mc_PQfreemem(void *ptr) { PQfreemem_pointer(ptr); }
PQconninfoOption * mc_PQconninfoParse(const char *conninfo, char **errmsg) { return PQconninfoParse_pointer(conninfo, errmsg); }
void mc_PQconninfoFree(PQconninfoOption *connOptions) { PQconninfoFree_pointer(connOptions); }
