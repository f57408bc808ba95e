#include "core/period.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core/text.h"

/* The longest accepted form ("chậm nhất ngày 30 tháng 12 năm 2021", NFD, padded) is far
 * shorter; the cap keeps a pasted paragraph from being lexed and quoted whole. */
enum { PERIOD_TEXT_MAX = 1000 };
/* Accepted forms have at most 8 tokens, so tokens beyond this many can only be trailing
 * words, and the first of those is always stored for the message. */
enum { MAX_TOKENS = 16 };
/* Bytes of the text, and of a word of it, quoted in an error message: with the longest reason
 * the message stays well under TK_ERROR_MESSAGE_MAX. */
enum { QUOTE_MAX = 160, WORD_QUOTE_MAX = 60 };

typedef enum tok_type { T_END, T_NUM, T_WORD, T_SLASH, T_DASH } tok_type;

typedef struct token {
    tok_type type;
    const char *s; /* into the lexer's lower-case buffer, for matching */
    size_t len;
    const char *orig; /* into the NFC text as written, for messages */
    size_t orig_len;
    int value;   /* T_NUM: the number, or -1 when it has more digits than any field allows */
    int ndigits; /* T_NUM */
    bool glued;  /* touches a number/letter on its left: "tháng7", "2021abc" */
} token;

/* Words are matched by their lower-case NFC spelling or, for people typing without
 * diacritics, by the spelling without any mark; a wrongly marked word ("qùy") matches nothing. */
enum keyword {
    KW_QUY, KW_Q, KW_NAM, KW_THANG, KW_NGAY, KW_DAU, KW_CUOI, KW_SIX, KW_NINE, KW_TRUOC,
    KW_CHAM, KW_NHAT, KW_TRONG, KW_GIAI, KW_DOAN, KW_NHIEM, KW_KY, KW_THUONG, KW_XUYEN,
    KW_HANG, KW_SAU, KW_GIUA, KW_KHOANG,
};

static const char *const spellings[][4] = {
    [KW_QUY] = {"quý", "quy"},
    [KW_Q] = {"q"},
    [KW_NAM] = {"năm", "nam"},
    [KW_THANG] = {"tháng", "thang"},
    [KW_NGAY] = {"ngày", "ngay"},
    [KW_DAU] = {"đầu", "dau"},
    [KW_CUOI] = {"cuối", "cuoi"},
    /* Unmarked "sau" is also the word for "after"; see six_written_as_sau(). */
    [KW_SIX] = {"sáu"},
    [KW_NINE] = {"chín", "chin"},
    [KW_TRUOC] = {"trước", "truoc"},
    [KW_CHAM] = {"chậm", "cham"},
    [KW_NHAT] = {"nhất", "nhat"},
    [KW_TRONG] = {"trong"},
    [KW_GIAI] = {"giai"},
    [KW_DOAN] = {"đoạn", "doan"},
    [KW_NHIEM] = {"nhiệm", "nhiem"},
    /* Both spellings of the i/y vowel are in use. */
    [KW_KY] = {"kỳ", "kì", "ky", "ki"},
    [KW_THUONG] = {"thường", "thuong"},
    [KW_XUYEN] = {"xuyên", "xuyen"},
    [KW_HANG] = {"hằng", "hàng", "hang"},
    [KW_SAU] = {"sau"},
    [KW_GIUA] = {"giữa", "giua"},
    [KW_KHOANG] = {"khoảng", "khoang"},
};

typedef struct parser {
    const char *text; /* quoted in messages: as given, then its NFC form once that is known */
    const char *field;
    tk_error *err;
    char *buf; /* the text lower-cased, NFC, tokens separated by one space */
    size_t buf_len;
    token tok[MAX_TOKENS];
    int ntok;
    const char *text_end; /* after the last token in the NFC text, even one not stored */
    bool marked; /* some word carries a diacritic */
    int pos;
} parser;

static const token end_token = {T_END, "", 0, "", 0, 0, 0, false};

static const token *peek(const parser *p, int ahead)
{
    int i = p->pos + ahead;
    return i < p->ntok ? &p->tok[i] : &end_token;
}

static bool word_is(const token *t, enum keyword kw)
{
    if (t->type != T_WORD) return false;
    for (int i = 0; i < 4 && spellings[kw][i]; i++) {
        const char *w = spellings[kw][i];
        if (strlen(w) == t->len && memcmp(w, t->s, t->len) == 0) return true;
    }
    return false;
}

static bool accept(parser *p, enum keyword kw)
{
    if (!word_is(peek(p, 0), kw)) return false;
    p->pos++;
    return true;
}

/* Copies text into dst (cap bytes) for quoting: bytes that are not valid UTF-8 and control
 * characters become U+FFFD, so the message stays printable text; a text that does not fit
 * ends in "…". */
static void quote_text(const char *text, char *dst, size_t cap)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    static const char ellipsis[] = "\xE2\x80\xA6";
    /* Every character copies to at least as many bytes as it takes, so the output is full
     * before the input reaches cap bytes. */
    int32_t len = (int32_t)strnlen(text, cap);
    size_t o = 0;
    for (int32_t i = 0; i < len;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT((const uint8_t *)text, i, len, c);
        const char *piece = text + start;
        size_t n = (size_t)(i - start);
        if (c == '\t' || c == '\n' || c == '\r') {
            piece = " ";
            n = 1;
        } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            piece = replacement;
            n = 3;
        }
        bool last = text[i] == '\0';
        if (o + n + (last ? 0 : sizeof ellipsis - 1) + 1 > cap) {
            memcpy(dst + o, ellipsis, sizeof ellipsis - 1);
            o += sizeof ellipsis - 1;
            break;
        }
        memcpy(dst + o, piece, n);
        o += n;
    }
    dst[o] = '\0';
}

static tk_code failv(parser *p, tk_code code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Ends s at max bytes or fewer, never inside a UTF-8 sequence. */
static void cut_at_character(char *s, size_t max)
{
    if (strlen(s) <= max) return;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
    s[max] = '\0';
}

static tk_code failv(parser *p, tk_code code, const char *fmt, va_list ap)
{
    char quoted[QUOTE_MAX + 8];
    char reason[TK_ERROR_MESSAGE_MAX * 2], message[TK_ERROR_MESSAGE_MAX * 3];
    quote_text(p->text, quoted, QUOTE_MAX);
    vsnprintf(reason, sizeof reason, fmt, ap);
    cut_at_character(reason, sizeof reason / 2);
    snprintf(message, sizeof message, "Không hiểu thời hạn \"%s\": %s", quoted, reason);
    cut_at_character(message, TK_ERROR_MESSAGE_MAX - 1);
    return tk_error_set(p->err, code, p->field, "%s", message);
}

static bool fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    failv(p, TK_INVALID_PERIOD, fmt, ap);
    va_end(ap);
    return false;
}

static tk_code fail_code(parser *p, tk_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static tk_code fail_code(parser *p, tk_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tk_code rc = failv(p, code, fmt, ap);
    va_end(ap);
    return rc;
}

/* How much of s (len bytes of valid UTF-8) a message quotes: at most WORD_QUOTE_MAX bytes,
 * cut at a character boundary. */
static int quote_len(const char *s, size_t len)
{
    if (len > WORD_QUOTE_MAX) {
        len = WORD_QUOTE_MAX;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--;
    }
    return (int)len;
}

/* The arguments for "%.*s" that quote a token as written. */
#define QUOTED(t) quote_len((t)->orig, (t)->orig_len), (t)->orig

/* "thiếu năm" at the end of the text, "cần năm ở chỗ "abc"" elsewhere. */
static bool expected(parser *p, const char *what)
{
    const token *t = peek(p, 0);
    if (t->type == T_END) return fail(p, "thiếu %s", what);
    return fail(p, "cần %s ở chỗ \"%.*s\"", what, QUOTED(t));
}

static bool is_dash(UChar32 c)
{
    return c == '-' || c == 0x2013; /* en dash, as word processors turn "2021 - 2025" */
}

static void add_token(parser *p, tok_type type, size_t start, const char *orig,
                      const char *orig_end, bool glued)
{
    if (p->ntok == MAX_TOKENS) return;
    token *t = &p->tok[p->ntok++];
    t->type = type;
    t->s = p->buf + start;
    t->len = p->buf_len - start;
    t->orig = orig;
    t->orig_len = (size_t)(orig_end - orig);
    t->value = 0;
    t->ndigits = 0;
    t->glued = glued;
    if (type == T_NUM) {
        t->ndigits = (int)t->len;
        t->value = t->ndigits > 4 ? -1 : 0;
        for (int i = 0; i < t->ndigits && t->value >= 0; i++)
            t->value = t->value * 10 + (t->s[i] - '0');
    }
}

/* Splits NFC text into numbers, words, "/" and dashes, lower-casing as it goes. Runs of
 * white space only separate tokens; "/" and dashes separate them with or without spaces. */
static bool lex(parser *p, const char *nfc)
{
    size_t len = strlen(nfc);
    p->buf = malloc(len * 5 + 1);
    if (!p->buf) return false;
    p->buf_len = 0;
    tok_type cur = T_END;
    size_t start = 0;
    int32_t orig_start = 0, orig_end = 0;
    bool glued = false;
    UChar32 prev = 0;
    for (int32_t i = 0; i < (int32_t)len;) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT_UNSAFE((const uint8_t *)nfc, i, c);
        tok_type type = T_WORD;
        if (u_isUWhiteSpace(c)) type = T_END;
        else if (c >= '0' && c <= '9') type = T_NUM;
        else if (c == '/') type = T_SLASH;
        else if (is_dash(c)) type = T_DASH;

        bool continues = type == cur && (type == T_NUM || type == T_WORD);
        if (!continues) {
            if (cur != T_END) add_token(p, cur, start, nfc + orig_start, nfc + orig_end, glued);
            glued = (cur == T_WORD && type == T_NUM && u_isalpha(prev)) ||
                    (cur == T_NUM && type == T_WORD && u_isalpha(c));
            cur = type;
            if (type == T_END) continue;
            if (p->buf_len > 0) p->buf[p->buf_len++] = ' ';
            start = p->buf_len;
            orig_start = at;
        }
        orig_end = i;
        prev = c;
        if (type == T_WORD) {
            c = u_tolower(c);
            if (c >= 0x80) p->marked = true;
        }
        U8_APPEND_UNSAFE((uint8_t *)p->buf, p->buf_len, c);
    }
    if (cur != T_END) add_token(p, cur, start, nfc + orig_start, nfc + orig_end, glued);
    p->buf[p->buf_len] = '\0';
    p->text_end = nfc + orig_end;
    return true;
}

static bool parse_year(parser *p, int *year)
{
    const token *t = peek(p, 0);
    if (t->type != T_NUM) return expected(p, "năm");
    if (t->ndigits != 4 || t->value < TK_DATE_YEAR_MIN || t->value > TK_DATE_YEAR_MAX)
        return fail(p, "năm \"%.*s\" phải viết đủ 4 chữ số, từ %d đến %d", QUOTED(t),
                    TK_DATE_YEAR_MIN, TK_DATE_YEAR_MAX);
    *year = t->value;
    p->pos++;
    return true;
}

static bool parse_month_number(parser *p, int *month)
{
    const token *t = peek(p, 0);
    if (t->type != T_NUM) return expected(p, "số tháng");
    if (t->ndigits > 2 || t->value < 1 || t->value > 12)
        return fail(p, "tháng phải từ 1 đến 12, không phải \"%.*s\"", QUOTED(t));
    *month = t->value;
    p->pos++;
    return true;
}

/* The year of a quarter or a month follows "/", "-" or "năm". */
static bool parse_year_after_separator(parser *p, int *year)
{
    const token *t = peek(p, 0);
    if (t->type == T_END) return expected(p, "năm");
    if (t->type != T_SLASH && t->type != T_DASH && !word_is(t, KW_NAM))
        return expected(p, "\"/\", \"-\" hoặc \"năm\" trước năm");
    p->pos++;
    return parse_year(p, year);
}

static void set_span(tk_period *out, tk_date first, tk_date last)
{
    out->kind = TK_PERIOD_SPAN;
    out->first = first;
    out->last = last;
}

static void set_months(tk_period *out, int year, int first_month, int last_month)
{
    set_span(out, tk_date_from_ymd(year, first_month, 1),
             tk_date_from_ymd(year, last_month, tk_date_days_in_month(year, last_month)));
}

/* A date whose day is the current token: "30/6/2021", "30-6-2021", "30 tháng 6 năm 2021". */
static bool parse_date(parser *p, tk_date *out)
{
    const token *t = peek(p, 0);
    if (t->type != T_NUM) return expected(p, "một ngày (ngày/tháng/năm)");
    if (t->ndigits > 2 || t->value < 1 || t->value > 31)
        return fail(p, "ngày phải từ 1 đến 31, không phải \"%.*s\"", QUOTED(t));
    int day = t->value, month = 0, year = 0;
    p->pos++;

    const token *sep = peek(p, 0);
    if (sep->type == T_SLASH || sep->type == T_DASH) {
        p->pos++;
        const token *m = peek(p, 0);
        if (m->type == T_NUM && m->ndigits == 4 && peek(p, 1)->type == T_END)
            return fail(p, "ghi tháng là \"tháng %d/%.*s\", ngày là \"ngày/tháng/năm\"", day,
                        (int)m->len, m->s);
        if (!parse_month_number(p, &month)) return false;
        if (peek(p, 0)->type == T_END) return expected(p, "năm");
        if (peek(p, 0)->type != sep->type)
            return expected(p, sep->type == T_SLASH ? "\"/\" rồi năm" : "\"-\" rồi năm");
        p->pos++;
    } else if (accept(p, KW_THANG)) {
        if (!parse_month_number(p, &month)) return false;
        if (!accept(p, KW_NAM)) return expected(p, "\"năm\"");
    } else {
        return expected(p, "tháng và năm");
    }
    if (!parse_year(p, &year)) return false;
    if (!tk_date_valid(year, month, day))
        return fail(p, "không có ngày %d/%d/%d (tháng %d/%d chỉ có %d ngày)", day, month, year,
                    month, year, tk_date_days_in_month(year, month));
    *out = tk_date_from_ymd(year, month, day);
    return true;
}

static bool parse_quarter(parser *p, tk_period *out)
{
    static const char *const roman[] = {"i", "ii", "iii", "iv"};
    const token *t = peek(p, 0);
    int quarter = 0;
    if (t->type == T_NUM && t->ndigits == 1 && t->value >= 1 && t->value <= 4) {
        quarter = t->value;
    } else if (t->type == T_WORD) {
        for (int i = 0; i < 4; i++)
            if (strlen(roman[i]) == t->len && memcmp(roman[i], t->s, t->len) == 0) quarter = i + 1;
    }
    if (t->type == T_END) return fail(p, "thiếu số quý (I, II, III, IV hoặc 1 đến 4)");
    if (!quarter)
        return fail(p, "quý phải là I, II, III, IV hoặc 1 đến 4, không phải \"%.*s\"",
                    QUOTED(t));
    p->pos++;
    int year = 0;
    if (!parse_year_after_separator(p, &year)) return false;
    set_months(out, year, quarter * 3 - 2, quarter * 3);
    return true;
}

static bool parse_month(parser *p, tk_period *out)
{
    int month = 0, year = 0;
    if (!parse_month_number(p, &month) || !parse_year_after_separator(p, &year)) return false;
    set_months(out, year, month, month);
    return true;
}

/* "6 tháng đầu/cuối năm 2021", "9 tháng đầu năm 2021", after the 6 or 9. */
static bool parse_months_of_year(parser *p, int months, tk_period *out)
{
    if (!accept(p, KW_THANG)) return expected(p, "\"tháng\"");
    bool last_half = false;
    if (accept(p, KW_CUOI)) {
        if (months != 6)
            return fail(p, "chỉ có \"6 tháng cuối năm\", không có \"%d tháng cuối năm\"", months);
        last_half = true;
    } else if (!accept(p, KW_DAU)) {
        return expected(p, "\"đầu\" hoặc \"cuối\"");
    }
    if (!accept(p, KW_NAM)) return expected(p, "\"năm\"");
    int year = 0;
    if (!parse_year(p, &year)) return false;
    if (last_half) set_months(out, year, 7, 12);
    else set_months(out, year, 1, months);
    return true;
}

static bool parse_range(parser *p, tk_period *out)
{
    int first = 0, last = 0;
    if (!parse_year(p, &first)) return false;
    if (peek(p, 0)->type != T_DASH) return expected(p, "\"-\" giữa năm đầu và năm cuối");
    p->pos++;
    if (!parse_year(p, &last)) return false;
    if (first >= last)
        return fail(p, "năm đầu (%d) phải nhỏ hơn năm cuối (%d)", first, last);
    set_span(out, tk_date_from_ymd(first, 1, 1), tk_date_from_ymd(last, 12, 31));
    return true;
}

static bool vague(parser *p)
{
    const token *t = peek(p, 0);
    return fail(p, "\"%.*s\" không chỉ rõ ngày nào; hãy ghi một ngày, tháng, quý hoặc năm",
                QUOTED(t));
}

/* Text typed without any diacritic writes "sáu" (six) as "sau", which is also "after"; it is
 * read as six only when "tháng" follows, the one place where six can stand. */
static bool six_written_as_sau(const parser *p)
{
    return !p->marked && word_is(peek(p, 0), KW_SAU) && word_is(peek(p, 1), KW_THANG);
}

static bool parse_span(parser *p, tk_period *out)
{
    const token *t = peek(p, 0);
    if (accept(p, KW_NGAY)) {
        tk_date day;
        if (!parse_date(p, &day)) return false;
        set_span(out, day, day);
        return true;
    }
    if (accept(p, KW_QUY) || accept(p, KW_Q)) return parse_quarter(p, out);
    if (accept(p, KW_THANG)) return parse_month(p, out);
    if (accept(p, KW_NAM)) {
        int year = 0;
        if (!parse_year(p, &year)) return false;
        set_months(out, year, 1, 12);
        return true;
    }
    if (accept(p, KW_GIAI)) {
        if (!accept(p, KW_DOAN)) return expected(p, "\"đoạn\"");
        return parse_range(p, out);
    }
    if (accept(p, KW_NHIEM)) {
        if (!accept(p, KW_KY)) return expected(p, "\"kỳ\"");
        return parse_range(p, out);
    }
    if (six_written_as_sau(p) || word_is(t, KW_SIX)) {
        p->pos++;
        return parse_months_of_year(p, 6, out);
    }
    if (accept(p, KW_NINE)) return parse_months_of_year(p, 9, out);
    if (t->type == T_NUM && t->ndigits > 2) {
        if (peek(p, 1)->type == T_DASH) return parse_range(p, out);
        int year = 0;
        if (!parse_year(p, &year)) return false;
        set_months(out, year, 1, 12);
        return true;
    }
    /* "6 tháng 7 năm 2021" is the sixth of July; six months are followed by đầu/cuối. */
    const token *after_thang = peek(p, 2);
    if (t->type == T_NUM && (t->value == 6 || t->value == 9) && word_is(peek(p, 1), KW_THANG) &&
        (word_is(after_thang, KW_DAU) || word_is(after_thang, KW_CUOI) ||
         after_thang->type == T_END)) {
        p->pos++;
        return parse_months_of_year(p, t->value, out);
    }
    if (t->type == T_NUM) {
        tk_date day;
        if (!parse_date(p, &day)) return false;
        set_span(out, day, day);
        return true;
    }
    if (word_is(t, KW_DAU) || word_is(t, KW_CUOI) || word_is(t, KW_GIUA) || word_is(t, KW_SAU) ||
        word_is(t, KW_KHOANG))
        return vague(p);
    if (t->type == T_END) return fail(p, "thiếu thời hạn");
    return fail(p, "không nhận ra \"%.*s\"; ví dụ cách ghi đúng: \"Quý I/2021\", \"tháng 7/2020\", "
                   "\"30/6/2021\", \"2021-2025\", \"Thường xuyên\"",
                QUOTED(t));
}

/* "trước [ngày]" and "chậm nhất [ngày]" before a date: the date is the deadline. */
static bool parse_deadline(parser *p, const char *words, tk_period *out)
{
    accept(p, KW_NGAY);
    if (peek(p, 0)->type != T_NUM) {
        const token *t = peek(p, 0);
        if (t->type == T_END) return fail(p, "thiếu ngày sau \"%s\"", words);
        return fail(p, "sau \"%s\" phải là một ngày (ngày/tháng/năm), không phải \"%.*s\"", words,
                    QUOTED(t));
    }
    tk_date day;
    if (!parse_date(p, &day)) return false;
    set_span(out, day, day);
    return true;
}

/* Words and numbers are written apart ("tháng 7", not "tháng7"), except in "Q1". */
static bool check_spacing(parser *p)
{
    for (int i = 1; i < p->ntok; i++) {
        const token *a = &p->tok[i - 1], *b = &p->tok[i];
        if (!b->glued || (word_is(a, KW_Q) && b->type == T_NUM)) continue;
        return fail(p, "thiếu dấu cách giữa \"%.*s\" và \"%.*s\"", QUOTED(a), QUOTED(b));
    }
    return true;
}

static bool parse_text(parser *p, tk_period *out)
{
    if (p->ntok == 0) return fail(p, "thời hạn trống");
    if (!check_spacing(p)) return false;
    if (accept(p, KW_THUONG)) {
        if (!accept(p, KW_XUYEN)) return expected(p, "\"xuyên\"");
        out->kind = TK_PERIOD_CONTINUOUS;
    } else if (accept(p, KW_HANG)) {
        if (accept(p, KW_NAM)) out->kind = TK_PERIOD_RECURRING_YEAR;
        else if (accept(p, KW_QUY)) out->kind = TK_PERIOD_RECURRING_QUARTER;
        else if (accept(p, KW_THANG)) out->kind = TK_PERIOD_RECURRING_MONTH;
        else return expected(p, "\"năm\", \"quý\" hoặc \"tháng\"");
    } else if (accept(p, KW_TRUOC)) {
        if (!parse_deadline(p, "trước", out)) return false;
    } else if (accept(p, KW_CHAM)) {
        if (!accept(p, KW_NHAT)) return expected(p, "\"nhất\"");
        if (!parse_deadline(p, "chậm nhất", out)) return false;
    } else {
        accept(p, KW_TRONG);
        if (!parse_span(p, out)) return false;
    }
    if (p->pos < p->ntok) {
        const token *first = &p->tok[p->pos];
        size_t n = (size_t)(p->text_end - first->orig);
        return fail(p, "thừa \"%.*s\" ở cuối", quote_len(first->orig, n), first->orig);
    }
    if (out->kind != TK_PERIOD_SPAN) out->first = out->last = 0;
    return true;
}

tk_code tk_period_parse(const char *text, const char *field, tk_period *out, tk_error *err)
{
    if (!text) return tk_error_set(err, TK_INVALID_PERIOD, field, "Thiếu thời hạn");
    parser p = {.text = text, .field = field, .err = err};
    size_t len = strlen(text);
    if (len > PERIOD_TEXT_MAX)
        return fail_code(&p, TK_INVALID_PERIOD, "quá dài (%zu byte, tối đa %d)", len,
                         PERIOD_TEXT_MAX);

    char *nfc = NULL;
    tk_error text_err;
    tk_code rc = tk_text_normalize(text, len, field, &nfc, &text_err);
    if (rc == TK_INVALID_UTF8) return fail_code(&p, rc, "văn bản không phải UTF-8 hợp lệ");
    if (rc == TK_INVALID_INPUT) return fail_code(&p, TK_INVALID_PERIOD, "có ký tự điều khiển");
    if (rc) {
        if (err) *err = text_err;
        return rc;
    }
    p.text = nfc;

    tk_period result = {TK_PERIOD_SPAN, 0, 0};
    if (!lex(&p, nfc)) {
        rc = tk_error_set(err, TK_NO_MEMORY, field, "Không đủ bộ nhớ");
        goto out;
    }
    if (!parse_text(&p, &result)) {
        rc = TK_INVALID_PERIOD;
        goto out;
    }
    *out = result;
    rc = TK_OK;
out:
    free(p.buf);
    free(nfc);
    return rc;
}

static const char *const kind_names[] = {
    [TK_PERIOD_SPAN] = "span",
    [TK_PERIOD_CONTINUOUS] = "continuous",
    [TK_PERIOD_RECURRING_YEAR] = "recurring year",
    [TK_PERIOD_RECURRING_QUARTER] = "recurring quarter",
    [TK_PERIOD_RECURRING_MONTH] = "recurring month",
};
enum { KIND_COUNT = sizeof kind_names / sizeof kind_names[0] };

const char *tk_period_kind_name(tk_period_kind kind)
{
    if ((unsigned)kind >= KIND_COUNT) return "unknown";
    return kind_names[kind];
}

bool tk_period_kind_from_name(const char *name, tk_period_kind *out)
{
    if (!name) return false;
    for (int i = 0; i < KIND_COUNT; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (tk_period_kind)i;
            return true;
        }
    }
    return false;
}

bool tk_period_occurrence(tk_period_kind kind, tk_date day, tk_date *first, tk_date *last)
{
    int year, month, d, first_month, last_month;
    tk_date_to_ymd(day, &year, &month, &d);
    switch (kind) {
    case TK_PERIOD_RECURRING_YEAR:
        first_month = 1;
        last_month = 12;
        break;
    case TK_PERIOD_RECURRING_QUARTER:
        first_month = (month - 1) / 3 * 3 + 1;
        last_month = first_month + 2;
        break;
    case TK_PERIOD_RECURRING_MONTH:
        first_month = last_month = month;
        break;
    default:
        return false;
    }
    *first = tk_date_from_ymd(year, first_month, 1);
    *last = tk_date_from_ymd(year, last_month, tk_date_days_in_month(year, last_month));
    return true;
}
