/*
 * libpq, loaded when a PostgreSQL URL asks for it rather than linked: the released binaries are
 * linked statically and need only the C runtime on a host, and libpq would bring OpenSSL,
 * Kerberos and LDAP with it. The declarations are libpq's stable ABI (libpq-fe.h, the same
 * since PostgreSQL 9): opaque connections and results, the status enumerations, the
 * notification and connection-option records; each function calls libpq's through a pointer
 * that mc_libpq_load() looks up once.
 */
#ifndef MOVIECLASSIFIER_LIBPQ_LOADED_H
#define MOVIECLASSIFIER_LIBPQ_LOADED_H

#include <stddef.h>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

typedef enum {
    CONNECTION_OK,
    CONNECTION_BAD
} ConnStatusType;

typedef enum {
    PGRES_EMPTY_QUERY = 0,
    PGRES_COMMAND_OK,
    PGRES_TUPLES_OK,
    PGRES_COPY_OUT,
    PGRES_COPY_IN,
    PGRES_BAD_RESPONSE,
    PGRES_NONFATAL_ERROR,
    PGRES_FATAL_ERROR
} ExecStatusType;

typedef enum {
    PQTRANS_IDLE,
    PQTRANS_ACTIVE,
    PQTRANS_INTRANS,
    PQTRANS_INERROR,
    PQTRANS_UNKNOWN
} PGTransactionStatusType;

typedef unsigned int Oid;

typedef struct pgNotify {
    char *relname;
    int be_pid;
    char *extra;
    struct pgNotify *next;
} PGnotify;

typedef struct _PQconninfoOption {
    char *keyword;
    char *envvar;
    char *compiled;
    char *val;
    char *label;
    char *dispchar;
    int dispsize;
} PQconninfoOption;

/* Loads libpq.so.5 once (any thread); 0 when it is there, -1 otherwise (then mc_libpq_error()
 * says why). Every other function may be called only after it returned 0. */
int mc_libpq_load(void);
const char *mc_libpq_error(void);

PGconn *mc_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname);
void mc_PQfinish(PGconn *conn);
void mc_PQreset(PGconn *conn);
ConnStatusType mc_PQstatus(const PGconn *conn);
PGTransactionStatusType mc_PQtransactionStatus(const PGconn *conn);
char *mc_PQerrorMessage(const PGconn *conn);
int mc_PQsocket(const PGconn *conn);
int mc_PQconsumeInput(PGconn *conn);
PGnotify *mc_PQnotifies(PGconn *conn);
PGresult *mc_PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues,
    const int *paramLengths, const int *paramFormats, int resultFormat);
ExecStatusType mc_PQresultStatus(const PGresult *res);
char *mc_PQresStatus(ExecStatusType status);
char *mc_PQresultErrorMessage(const PGresult *res);
char *mc_PQresultErrorField(const PGresult *res, int fieldcode);
int mc_PQntuples(const PGresult *res);
int mc_PQnfields(const PGresult *res);
char *mc_PQfname(const PGresult *res, int field_num);
char *mc_PQgetvalue(const PGresult *res, int tup_num, int field_num);
int mc_PQgetisnull(const PGresult *res, int tup_num, int field_num);
char *mc_PQcmdStatus(PGresult *res);
char *mc_PQcmdTuples(PGresult *res);
void mc_PQclear(PGresult *res);
char *mc_PQescapeIdentifier(PGconn *conn, const char *str, size_t len);
void mc_PQfreemem(void *ptr);
PQconninfoOption *mc_PQconninfoParse(const char *conninfo, char **errmsg);
void mc_PQconninfoFree(PQconninfoOption *connOptions);

#endif
