/* E-mail out, through the SMTP server an installation names (libcurl): the reminders of the
 * reporting cycle reach people who do not open trienkhai every day.
 *
 * A message is plain text in UTF-8. Its subject and display names are RFC 2047 encoded words
 * and its body base64, so Vietnamese arrives intact through any relay, and no text a person
 * typed can add a header line. */
#ifndef TK_IO_MAIL_H
#define TK_IO_MAIL_H

#include <stdbool.h>
#include <time.h>

#include "core/error.h"

typedef struct tk_mail_server {
    const char *url;       /* "smtp://mail.example.vn:587" or "smtps://…:465" */
    const char *user;      /* NULL or "": no authentication */
    const char *password;
    bool require_tls;      /* STARTTLS on smtp://, refusing to send in clear */
    long timeout_seconds;  /* for the whole exchange; 0: 30 */
    const char *from;      /* envelope and header address: "vanphong@thanhuy.vn" */
    const char *from_name; /* "Văn phòng Thành ủy"; may be NULL */
} tk_mail_server;

typedef struct tk_mail {
    const char *to;        /* one address */
    const char *to_name;   /* may be NULL */
    const char *subject;
    const char *body;      /* lines end with "\n" */
} tk_mail;

/* True when address is one plain mailbox "local@domain" with nothing a header or an SMTP
 * command could be bent by (spaces, angle brackets, quotes, control characters). */
bool tk_mail_address_ok(const char *address);

/* The whole message as it goes over the wire (CRLF line ends), dated now, with message_id as
 * its Message-ID ("<…@…>"). TK_INVALID_INPUT naming "from" or "to" for a bad address,
 * TK_INVALID_UTF8 for text that is not UTF-8. *out: new string (free()). */
tk_code tk_mail_format(const tk_mail_server *server, const tk_mail *mail, time_t now, const char *message_id,
                       char **out, tk_error *err);

/* Formats and sends mail. TK_IO (with the SMTP server's answer or libcurl's reason in
 * the message) when the server cannot be reached or refuses it. */
tk_code tk_mail_send(const tk_mail_server *server, const tk_mail *mail, tk_error *err);

#endif
