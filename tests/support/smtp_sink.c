#include "support/smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void say(int fd, const char *line)
{
    ssize_t n = write(fd, line, strlen(line));
    (void)n;
}

/* Reads one line (up to and with its LF) into buf; false at the end of input. */
static bool read_line(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    char c;
    while (n + 1 < cap && read(fd, &c, 1) == 1) {
        buf[n++] = c;
        if (c == '\n') break;
    }
    buf[n] = '\0';
    return n > 0;
}

/* The address between the first "<" and ">" of line, into out ("" when there is none). */
static void address_of(const char *line, char *out, size_t cap)
{
    const char *open = strchr(line, '<'), *close = open ? strchr(open, '>') : NULL;
    snprintf(out, cap, "%.*s", close ? (int)(close - open - 1) : 0, close ? open + 1 : "");
}

static void append(char *buf, size_t cap, const char *text)
{
    size_t len = strlen(buf);
    if (len + strlen(text) < cap) memcpy(buf + len, text, strlen(text) + 1);
}

static void serve_connection(tk_smtp_sink *s, int fd)
{
    /* A client that stalls cannot hold the test forever. */
    struct timeval timeout = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    say(fd, "220 sink ESMTP\r\n");
    tk_smtp_message *m = calloc(1, sizeof *m); /* the message under way */
    if (!m) {
        close(fd);
        return;
    }
    char line[2048];
    bool in_data = false;
    while (read_line(fd, line, sizeof line)) {
        if (in_data) {
            if (strcmp(line, ".\r\n") == 0) {
                in_data = false;
                if (s->count < TK_SMTP_SINK_MESSAGES) s->messages[s->count++] = *m;
                s->taken++;
                memset(m, 0, sizeof *m);
                say(fd, "250 OK queued\r\n");
            } else {
                append(m->data, sizeof m->data, line);
            }
            continue;
        }
        size_t n = strlen(line);
        if (s->transcript_len + n < sizeof s->transcript) {
            memcpy(s->transcript + s->transcript_len, line, n + 1);
            s->transcript_len += n;
        }
        if (strncmp(line, "EHLO", 4) == 0) {
            say(fd, "250-sink\r\n250 8BITMIME\r\n");
        } else if (strncmp(line, "HELO", 4) == 0) {
            say(fd, "250 sink\r\n");
        } else if (strncmp(line, "MAIL FROM", 9) == 0) {
            memset(m, 0, sizeof *m);
            address_of(line, m->from, sizeof m->from);
            say(fd, "250 OK\r\n");
        } else if (strncmp(line, "RCPT TO", 7) == 0) {
            if (s->refuse_recipients) {
                say(fd, "550 5.1.1 Hộp thư không tồn tại\r\n");
            } else {
                char to[256];
                address_of(line, to, sizeof to);
                if (m->to[0]) append(m->to, sizeof m->to, ", ");
                append(m->to, sizeof m->to, to);
                say(fd, "250 OK\r\n");
            }
        } else if (strncmp(line, "DATA", 4) == 0) {
            say(fd, "354 go ahead\r\n");
            in_data = true;
        } else if (strncmp(line, "RSET", 4) == 0) {
            memset(m, 0, sizeof *m);
            say(fd, "250 OK\r\n");
        } else if (strncmp(line, "QUIT", 4) == 0) {
            say(fd, "221 bye\r\n");
            break;
        } else {
            say(fd, "502 not here\r\n");
        }
    }
    free(m);
    close(fd);
}

static void *serve(void *arg)
{
    tk_smtp_sink *s = arg;
    for (;;) {
        /* Once told to stop, take only what is already waiting. */
        bool stopping = atomic_load(&s->stop);
        struct pollfd p = {.fd = s->listener, .events = POLLIN};
        int ready = poll(&p, 1, stopping ? 0 : 50);
        if (ready <= 0) {
            if (stopping) break;
            continue;
        }
        int fd = accept(s->listener, NULL, NULL);
        if (fd < 0) continue;
        s->connections++;
        serve_connection(s, fd);
    }
    return NULL;
}

tk_smtp_sink *tk_smtp_sink_start(bool refuse_recipients)
{
    tk_smtp_sink *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->refuse_recipients = refuse_recipients;
    atomic_init(&s->stop, false);
    s->listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof addr;
    if (s->listener < 0 || bind(s->listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s->listener, 16) != 0 ||
        getsockname(s->listener, (struct sockaddr *)&addr, &alen) != 0 ||
        pthread_create(&s->thread, NULL, serve, s) != 0) {
        if (s->listener >= 0) close(s->listener);
        free(s);
        return NULL;
    }
    s->port = ntohs(addr.sin_port);
    return s;
}

void tk_smtp_sink_stop(tk_smtp_sink *s)
{
    atomic_store(&s->stop, true);
    pthread_join(s->thread, NULL);
    close(s->listener);
    s->listener = -1;
}

void tk_smtp_sink_free(tk_smtp_sink *s)
{
    free(s);
}

/* The decoded bytes of a base64 run (whitespace and CRLFs skipped). New string; NULL when it is
 * not base64. */
static char *unbase64(const char *text, size_t len)
{
    char *clean = malloc(len + 1), *w = clean;
    if (!clean) return NULL;
    for (size_t i = 0; i < len; i++)
        if (text[i] != '\r' && text[i] != '\n' && text[i] != ' ') *w++ = text[i];
    *w = '\0';
    size_t n = (size_t)(w - clean);
    char *out = calloc(1, n + 1);
    int got = out ? EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)clean, (int)n) : -1;
    if (got < 0) {
        free(clean);
        free(out);
        return NULL;
    }
    while (n && clean[n - 1] == '=') { /* EVP_DecodeBlock counts the padding as zero bytes */
        got--;
        n--;
    }
    out[got] = '\0';
    free(clean);
    return out;
}

char *tk_smtp_subject(const char *message)
{
    const char *p = strstr(message, "\r\nSubject: ");
    if (!p) return NULL;
    p += strlen("\r\nSubject: ");
    size_t cap = strlen(p) + 1, len = 0;
    char *joined = calloc(1, cap);
    if (!joined) return NULL;
    bool any = false;
    while (strncmp(p, "=?UTF-8?B?", 10) == 0) {
        p += 10;
        const char *end = strstr(p, "?=");
        char *text = end ? unbase64(p, (size_t)(end - p)) : NULL;
        if (!text) {
            free(joined);
            return NULL;
        }
        size_t n = strlen(text);
        memcpy(joined + len, text, n + 1); /* base64 decodes shorter than it is written */
        len += n;
        free(text);
        any = true;
        p = end + 2;
        if (strncmp(p, "\r\n ", 3) == 0) p += 3;
    }
    if (!any) {
        free(joined);
        return NULL;
    }
    return joined;
}

char *tk_smtp_body(const char *message)
{
    const char *p = strstr(message, "\r\n\r\n");
    return p ? unbase64(p + 4, strlen(p + 4)) : NULL;
}
