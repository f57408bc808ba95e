#include "cli/config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { SET_TEXT, SET_INT } setting_type;

static const struct setting {
    const char *name;
    const char *env;
    const char *flag;
    setting_type type;
    size_t offset;
    size_t size;
    const char *fallback;
    int min, max;
    const char *help;
} settings[] = {
    {"db", "TK_DB", "--db", SET_TEXT, offsetof(tk_config, db), sizeof(((tk_config *)0)->db), "data/trienkhai.db", 0, 0,
     "Tệp cơ sở dữ liệu SQLite / SQLite database file"},
    {"listen", "TK_LISTEN", "--listen", SET_TEXT, offsetof(tk_config, listen), sizeof(((tk_config *)0)->listen),
     "127.0.0.1", 0, 0, "Địa chỉ IPv4 lắng nghe / IPv4 address to listen on"},
    {"port", "TK_PORT", "--port", SET_INT, offsetof(tk_config, port), 0, "8080", 0, 65535,
     "Cổng HTTP (0: cổng trống bất kỳ) / HTTP port (0: any free port)"},
    {"threads", "TK_THREADS", "--threads", SET_INT, offsetof(tk_config, threads), 0, "4", 1, 256,
     "Số luồng xử lý / worker threads"},
    {"port_file", "TK_PORT_FILE", "--port-file", SET_TEXT, offsetof(tk_config, port_file),
     sizeof(((tk_config *)0)->port_file), "", 0, 0,
     "Ghi cổng đã mở vào tệp này (cho kiểm thử) / write the bound port here (for tests)"},
    {"web_dir", "TK_WEB_DIR", "--web-dir", SET_TEXT, offsetof(tk_config, web_dir), sizeof(((tk_config *)0)->web_dir),
     "", 0, 0, "Đọc mẫu trang và tệp tĩnh từ thư mục này khi sửa giao diện / serve web files from here while editing"},
    {"secure_cookies", "TK_SECURE_COOKIES", "--secure-cookies", SET_INT, offsetof(tk_config, secure_cookies), 0, "0", 0,
     1, "1 khi phục vụ sau HTTPS: cookie chỉ gửi qua kết nối mã hóa / 1 behind HTTPS: cookies marked Secure"},
    {"smtp_url", "TK_SMTP_URL", "--smtp-url", SET_TEXT, offsetof(tk_config, smtp_url), sizeof(((tk_config *)0)->smtp_url),
     "", 0, 0, "Máy chủ thư gửi lời nhắc (smtp://máy:587, smtps://máy:465; trống: chỉ nhắc trong ứng dụng) / SMTP server"},
    {"smtp_user", "TK_SMTP_USER", "--smtp-user", SET_TEXT, offsetof(tk_config, smtp_user),
     sizeof(((tk_config *)0)->smtp_user), "", 0, 0, "Tài khoản SMTP (trống: không xác thực) / SMTP user"},
    {"smtp_password", "TK_SMTP_PASSWORD", "--smtp-password", SET_TEXT, offsetof(tk_config, smtp_password),
     sizeof(((tk_config *)0)->smtp_password), "", 0, 0, "Mật khẩu SMTP / SMTP password"},
    {"smtp_from", "TK_SMTP_FROM", "--smtp-from", SET_TEXT, offsetof(tk_config, smtp_from),
     sizeof(((tk_config *)0)->smtp_from), "", 0, 0, "Địa chỉ gửi thư / sender address"},
    {"smtp_from_name", "TK_SMTP_FROM_NAME", "--smtp-from-name", SET_TEXT, offsetof(tk_config, smtp_from_name),
     sizeof(((tk_config *)0)->smtp_from_name), "", 0, 0, "Tên người gửi (Văn phòng Thành ủy) / sender name"},
    {"smtp_tls", "TK_SMTP_TLS", "--smtp-tls", SET_INT, offsetof(tk_config, smtp_tls), 0, "1", 0, 1,
     "1: bắt buộc mã hóa (STARTTLS) với smtp:// / 1: require STARTTLS on smtp://"},
    {"remind_days_before", "TK_REMIND_DAYS_BEFORE", "--remind-days-before", SET_INT,
     offsetof(tk_config, remind_days_before), 0, "5", 0, 60, "Nhắc nộp báo cáo trước hạn bao nhiêu ngày / days before due"},
};
enum { SETTING_COUNT = sizeof settings / sizeof settings[0] };

static const char *sources[SETTING_COUNT];

static tk_code set(tk_config *config, const struct setting *s, const char *value, const char *source, tk_error *err)
{
    char *base = (char *)config + s->offset;
    if (s->type == SET_TEXT) {
        if (strlen(value) >= s->size)
            return tk_error_set(err, TK_INVALID_INPUT, s->name, "Giá trị của %s quá dài", s->name);
        memcpy(base, value, strlen(value) + 1);
    } else {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || !*value || *end || v < s->min || v > s->max)
            return tk_error_set(err, TK_INVALID_INPUT, s->name, "%s phải là số nguyên từ %d đến %d (%s: \"%s\")",
                                s->name, s->min, s->max, source, value);
        *(int *)(void *)base = (int)v;
    }
    sources[s - settings] = source;
    return TK_OK;
}

static const struct setting *by_name(const char *name)
{
    for (int i = 0; i < SETTING_COUNT; i++)
        if (strcmp(settings[i].name, name) == 0) return &settings[i];
    return NULL;
}

static tk_code load_file(tk_config *config, const char *path, tk_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) return tk_error_set(err, TK_IO, "config", "Không mở được tệp cấu hình %s", path);
    char line[2048];
    int n = 0;
    tk_code rc = TK_OK;
    while (!rc && fgets(line, sizeof line, f)) {
        n++;
        char *p = line + strspn(line, " \t");
        if (*p == '#' || *p == '\n' || *p == '\0') continue;
        char *eq = strchr(p, '=');
        if (!eq) {
            rc = tk_error_set(err, TK_INVALID_INPUT, "config", "%s dòng %d: thiếu dấu =", path, n);
            break;
        }
        char *name_end = eq;
        while (name_end > p && (name_end[-1] == ' ' || name_end[-1] == '\t')) name_end--;
        *name_end = '\0';
        char *value = eq + 1 + strspn(eq + 1, " \t");
        value[strcspn(value, "\r\n")] = '\0';
        const struct setting *s = by_name(p);
        if (!s) rc = tk_error_set(err, TK_INVALID_INPUT, "config", "%s dòng %d: không có thiết lập \"%s\"", path, n, p);
        else rc = set(config, s, value, "config file", err);
    }
    fclose(f);
    return rc;
}

tk_code tk_config_load(tk_config *config, int *argc, char **argv, tk_error *err)
{
    memset(config, 0, sizeof *config);
    tk_code rc;
    for (int i = 0; i < SETTING_COUNT; i++)
        if ((rc = set(config, &settings[i], settings[i].fallback, "default", err))) return rc;
    for (int i = 1; i + 1 < *argc; i++)
        if (strcmp(argv[i], "--config") == 0 && (rc = load_file(config, argv[i + 1], err))) return rc;
    for (int i = 0; i < SETTING_COUNT; i++) {
        const char *v = getenv(settings[i].env);
        if (v && (rc = set(config, &settings[i], v, settings[i].env, err))) return rc;
    }
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const struct setting *s = NULL;
        for (int k = 0; k < SETTING_COUNT; k++)
            if (strcmp(argv[i], settings[k].flag) == 0) s = &settings[k];
        bool is_config = strcmp(argv[i], "--config") == 0;
        if ((s || is_config) && i + 1 >= *argc)
            return tk_error_set(err, TK_INVALID_INPUT, argv[i], "Thiếu giá trị sau %s", argv[i]);
        if (s) {
            if ((rc = set(config, s, argv[++i], "command line", err))) return rc;
        } else if (is_config) {
            i++;
        } else {
            argv[out++] = argv[i];
        }
    }
    *argc = out;
    argv[out] = NULL;
    return TK_OK;
}

void tk_config_print(const tk_config *config)
{
    for (int i = 0; i < SETTING_COUNT; i++) {
        const struct setting *s = &settings[i];
        const char *base = (const char *)config + s->offset;
        /* A password is never printed, only whether it is set. */
        bool secret = strstr(s->name, "password") != NULL && *base;
        if (s->type == SET_TEXT) printf("%-10s = %-24s", s->name, secret ? "********" : base);
        else printf("%-10s = %-24d", s->name, *(const int *)(const void *)base);
        printf(" # %s; %s, %s; từ / from: %s\n", s->help, s->env, s->flag, sources[i] ? sources[i] : "default");
    }
}
