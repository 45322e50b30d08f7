#include "progress.h"

#include "timer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BAR_WIDTH = 24 };

static bool on_terminal(void)
{
    const char *term = getenv("TERM");
    return isatty(fileno(stderr)) && !(term && strcmp(term, "dumb") == 0);
}

void dk_progress_start(dk_progress *p, const char *label, size_t total,
                       const char *unit)
{
    *p = (dk_progress){.label = label, .unit = unit, .total = total,
                       .start = dk_seconds(), .last_tenth = 0,
                       .tty = on_terminal()};
    p->last_draw = p->start - 1;
}

/* "12.3k" style rates. */
static void human(char *buf, size_t len, double x)
{
    if (x >= 1e6)
        snprintf(buf, len, "%.1fM", x / 1e6);
    else if (x >= 1e3)
        snprintf(buf, len, "%.1fk", x / 1e3);
    else
        snprintf(buf, len, "%.1f", x);
}

static void draw(const dk_progress *p, size_t done, const char *status, bool end)
{
    double elapsed = dk_seconds() - p->start;
    double frac = p->total ? (double)done / (double)p->total : 1.0;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    char r[32], when[32];
    human(r, sizeof r, rate);
    if (end)
        snprintf(when, sizeof when, "%.1fs", elapsed);
    else if (rate > 0)
        snprintf(when, sizeof when, "ETA %.0fs", (double)(p->total - done) / rate);
    else
        snprintf(when, sizeof when, "ETA ?");
    if (p->tty) {
        char bar[BAR_WIDTH + 1];
        int filled = (int)(frac * BAR_WIDTH + 0.5);
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[BAR_WIDTH] = '\0';
        fprintf(stderr, "\r\033[K%s [%s] %3.0f%% %s %s/s %s%s%s", p->label, bar,
                100 * frac, r, p->unit, when, status ? " | " : "",
                status ? status : "");
    } else {
        fprintf(stderr, "%s %3.0f%% (%zu/%zu) %s %s/s %s%s%s\n", p->label,
                100 * frac, done, p->total, r, p->unit, when,
                status ? " | " : "", status ? status : "");
    }
    fflush(stderr);
}

void dk_progress_update(dk_progress *p, size_t done, const char *status)
{
    if (p->tty) {
        double now = dk_seconds();
        if (now - p->last_draw < 0.1)
            return;
        p->last_draw = now;
        draw(p, done, status, false);
        return;
    }
    int tenth = p->total ? (int)(10 * done / p->total) : 10;
    if (tenth > p->last_tenth && tenth < 10 && dk_seconds() - p->start >= 1.0) {
        p->last_tenth = tenth;
        draw(p, done, status, false);
    }
}

void dk_progress_end(dk_progress *p, size_t done, const char *status)
{
    draw(p, done, status, true);
    if (p->tty)
        fputc('\n', stderr);
}
