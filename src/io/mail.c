#include "io/mail.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

bool tk_mail_address_ok(const char *address)
{
    if (!address) return false;
    const char *at = strchr(address, '@');
    if (!at || at == address || !at[1] || strchr(at + 1, '@')) return false;
    if (strlen(address) > 254) return false; /* RFC 5321's path limit */
    for (const unsigned char *p = (const unsigned char *)address; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p)) return false;
    /* No dot required after the @: an intranet's mail host may be a bare name. */
    return at[1] != '.' && address[strlen(address) - 1] != '.';
}

/* Base64 of len bytes of data (OpenSSL), NUL-terminated. New string. */
static char *base64(const char *data, size_t len)
{
    char *out = malloc(4 * ((len + 2) / 3) + 1);
    if (out) EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)data, (int)len);
    return out;
}

/* An RFC 2047 encoded word for text that is not plain ASCII, else the text itself. Words are
 * cut at 39 bytes of UTF-8 (52 characters of base64, 64 with the word's markers) on a character
 * boundary, each on a line of its own, so that with "Subject: " a line stays within 78. */
static void encoded_words(FILE *f, const char *text)
{
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) plain = plain && *p >= ' ' && *p < 0x7f;
    if (plain) {
        fputs(text, f);
        return;
    }
    size_t len = strlen(text), start = 0;
    while (start < len) {
        size_t end = start + 39 < len ? start + 39 : len;
        while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80) end--; /* not inside a character */
        char *word = base64(text + start, end - start);
        fprintf(f, "%s=?UTF-8?B?%s?=", start ? "\r\n " : "", word ? word : "");
        free(word);
        start = end;
    }
}

static void mailbox(FILE *f, const char *name, const char *address)
{
    if (name && *name) {
        encoded_words(f, name);
        fputs("\r\n ", f); /* the address on a folded line of its own, however long the name */
    }
    fprintf(f, "<%s>", address);
}

tk_code tk_mail_format(const tk_mail_server *server, const tk_mail *mail, time_t now, const char *message_id,
                       char **out, tk_error *err)
{
    *out = NULL;
    if (!tk_mail_address_ok(server->from))
        return tk_error_set(err, TK_INVALID_INPUT, "from", "Địa chỉ thư gửi đi \"%s\" không hợp lệ",
                            server->from ? server->from : "");
    if (!tk_mail_address_ok(mail->to))
        return tk_error_set(err, TK_INVALID_INPUT, "to", "Địa chỉ thư \"%s\" không hợp lệ", mail->to ? mail->to : "");
    const char *texts[] = {server->from_name, mail->to_name, mail->subject, mail->body};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i] && !tk_text_valid_utf8(texts[i], strlen(texts[i])))
            return tk_error_set(err, TK_INVALID_UTF8, NULL, "Nội dung thư không phải UTF-8 hợp lệ");

    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f) return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    char date[64];
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    fprintf(f, "Date: %s\r\nFrom: ", date);
    mailbox(f, server->from_name, server->from);
    fputs("\r\nTo: ", f);
    mailbox(f, mail->to_name, mail->to);
    fputs("\r\nSubject: ", f);
    encoded_words(f, mail->subject ? mail->subject : "");
    fprintf(f, "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n",
            message_id);
    /* The body with CRLF line ends, in base64 lines of 76 characters. */
    const char *body = mail->body ? mail->body : "";
    char *crlf = malloc(2 * strlen(body) + 1), *w = crlf;
    if (crlf) {
        for (const char *p = body; *p; p++) {
            if (*p == '\n' && (p == body || p[-1] != '\r')) *w++ = '\r';
            *w++ = *p;
        }
        *w = '\0';
        char *encoded = base64(crlf, (size_t)(w - crlf));
        for (size_t i = 0, n = encoded ? strlen(encoded) : 0; i < n; i += 76)
            fprintf(f, "%.76s\r\n", encoded + i);
        free(encoded);
        free(crlf);
    }
    if (fclose(f) != 0 || !text || !crlf) {
        free(text);
        return tk_error_set(err, TK_NO_MEMORY, NULL, "Hết bộ nhớ");
    }
    *out = text;
    return TK_OK;
}

typedef struct reader {
    const char *data;
    size_t left;
} reader;

static size_t read_message(char *buffer, size_t size, size_t nitems, void *userdata)
{
    reader *r = userdata;
    size_t n = size * nitems < r->left ? size * nitems : r->left;
    memcpy(buffer, r->data, n);
    r->data += n;
    r->left -= n;
    return n;
}

tk_code tk_mail_send(const tk_mail_server *server, const tk_mail *mail, tk_error *err)
{
    unsigned char random[12];
    if (RAND_bytes(random, sizeof random) != 1) return tk_error_set(err, TK_INTERNAL, NULL, "Không tạo được số ngẫu nhiên");
    char message_id[128];
    const char *domain = server->from ? strchr(server->from, '@') : NULL;
    int n = snprintf(message_id, sizeof message_id, "<");
    for (size_t i = 0; i < sizeof random; i++) n += snprintf(message_id + n, sizeof message_id - (size_t)n, "%02x", random[i]);
    snprintf(message_id + n, sizeof message_id - (size_t)n, ".trienkhai%.80s>", domain ? domain : "@localhost");

    char *message;
    tk_code rc = tk_mail_format(server, mail, time(NULL), message_id, &message, err);
    if (rc) return rc;
    CURL *curl = curl_easy_init();
    if (!curl) {
        free(message);
        return tk_error_set(err, TK_NO_MEMORY, NULL, "Không khởi tạo được libcurl");
    }
    char from[300], to[300], reason[CURL_ERROR_SIZE] = "";
    snprintf(from, sizeof from, "<%s>", server->from);
    snprintf(to, sizeof to, "<%s>", mail->to);
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    reader r = {.data = message, .left = strlen(message)};
    curl_easy_setopt(curl, CURLOPT_URL, server->url ? server->url : "");
    /* Only mail: a setting that names another scheme must not turn this into a web request. */
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(curl, CURLOPT_READDATA, &r);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, reason);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, server->timeout_seconds > 0 ? server->timeout_seconds : 30L);
    if (server->require_tls) curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (server->user && *server->user) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, server->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, server->password ? server->password : "");
    }
    CURLcode res = curl_easy_perform(curl);
    if (res != CURLE_OK)
        rc = tk_error_set(err, TK_IO, NULL, "Không gửi được thư tới %s qua %s: %s", mail->to, server->url ? server->url : "",
                          reason[0] ? reason : curl_easy_strerror(res));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    free(message);
    return rc;
}
