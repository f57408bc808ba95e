/* An SMTP sink for tests: a thread on a free 127.0.0.1 port speaking just enough SMTP (RFC 5321:
 * EHLO/HELO, MAIL, RCPT, DATA, RSET, QUIT) to take messages from any number of connections, one
 * after another, and record their envelope and data; or to refuse every recipient with 550.
 *
 * The test starts it, runs the client (tk_mail_send(), `trienkhai remind`) to its end, stops it,
 * then reads what came. The sink's thread alone writes the record until tk_smtp_sink_stop()
 * returns; read it only after that. */
#ifndef TK_TESTS_SUPPORT_SMTP_SINK_H
#define TK_TESTS_SUPPORT_SMTP_SINK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>

enum {
    TK_SMTP_SINK_MESSAGES = 16,      /* messages kept; later ones are counted in `taken` only */
    TK_SMTP_SINK_DATA = 16384,       /* of one message's data; the rest is cut */
    TK_SMTP_SINK_TRANSCRIPT = 16384, /* of the commands of every connection */
};

typedef struct tk_smtp_message {
    char from[256]; /* the envelope sender: the address of MAIL FROM:<...> */
    char to[512];   /* the accepted recipients' addresses, joined by ", " */
    char data[TK_SMTP_SINK_DATA]; /* what came after DATA, without the final "." line */
} tk_smtp_message;

typedef struct tk_smtp_sink {
    int port;
    int connections;   /* connections accepted */
    int taken;         /* messages taken (answered 250 after DATA) */
    int count;         /* of them kept in messages[] */
    tk_smtp_message messages[TK_SMTP_SINK_MESSAGES];
    char transcript[TK_SMTP_SINK_TRANSCRIPT]; /* every command line as received, CRLFs kept */
    size_t transcript_len;
    /* private */
    bool refuse_recipients;
    int listener;
    atomic_bool stop;
    pthread_t thread;
} tk_smtp_sink;

/* Listens on a free loopback port and starts the thread. With refuse_recipients every RCPT is
 * answered "550 5.1.1". New (tk_smtp_sink_free); NULL when the port cannot be had. */
tk_smtp_sink *tk_smtp_sink_start(bool refuse_recipients);

/* Serves the connections clients have already made (a client that has returned has made all of
 * its own), then stops the thread and closes the port. The record may be read afterwards. */
void tk_smtp_sink_stop(tk_smtp_sink *sink);

/* Frees a stopped sink (NULL is fine). */
void tk_smtp_sink_free(tk_smtp_sink *sink);

/* A message's Subject with its RFC 2047 encoded words ("=?UTF-8?B?...?=", each holding whole
 * characters) decoded and joined. New string; NULL when it has no such subject. */
char *tk_smtp_subject(const char *message);

/* A base64 body (after the blank line) decoded. New string; NULL when there is none. */
char *tk_smtp_body(const char *message);

#endif
