#include "progress.h"

#include "timer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Widths of the columns that vary from line to line: the label (up to
 * "epoch 10/100"), the rate ("999.9k") and the time ("ETA 1234s"). */
enum { BAR_WIDTH = 24, LABEL_WIDTH = 12, RATE_WIDTH = 6, WHEN_WIDTH = 9 };

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

static int digits(size_t n)
{
    int d = 1;
    for (; n >= 10; n /= 10)
        d++;
    return d;
}

void dk_progress_epoch_label(char *buf, size_t len, size_t epoch, size_t epochs)
{
    snprintf(buf, len, "epoch %*zu/%zu", digits(epochs), epoch, epochs);
}

void dk_progress_start_epoch(dk_progress *p, size_t epoch, size_t epochs, size_t total,
                             const char *unit)
{
    dk_progress_start(p, p->epoch_label, total, unit); /* (it clears the label) */
    dk_progress_epoch_label(p->epoch_label, sizeof p->epoch_label, epoch, epochs);
}

void dk_progress_end_epoch(dk_progress *p, size_t epoch, size_t epochs, const char *status)
{
    const size_t total = p->total;
    const char *unit = p->unit;
    dk_progress_end(p, total, status);
    if (epoch < epochs)
        dk_progress_start_epoch(p, epoch + 1, epochs, total, unit);
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

/* The bar, percentage, count and rate: the columns a stopped run's reason
 * takes instead. Returns their width. */
static int middle(const dk_progress *p, size_t done, double elapsed, char *buf, size_t len)
{
    const double frac = p->total ? (double)done / (double)p->total : 1.0;
    char bar[BAR_WIDTH + 4] = "", rate[32];
    if (p->tty) {
        const int filled = (int)(frac * BAR_WIDTH + 0.5);
        bar[0] = '[';
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[1 + i] = i < filled ? '#' : '.';
        memcpy(bar + 1 + BAR_WIDTH, "] ", 3);
    }
    human(rate, sizeof rate, elapsed > 0 ? (double)done / elapsed : 0);
    return snprintf(buf, len, "%s%3.0f%% (%*zu/%zu) %*s %s/s", bar, 100 * frac,
                    digits(p->total), done, p->total, RATE_WIDTH, rate, p->unit);
}

void dk_progress_format(const dk_progress *p, const dk_progress_at *at, char *buf, size_t len)
{
    char mid[256], when[32];
    const double rate = at->elapsed > 0 ? (double)at->done / at->elapsed : 0;
    if (at->stopped) {
        const int width = middle(p, p->total, 0, mid, sizeof mid);
        snprintf(mid, sizeof mid, "%-*s", width, at->stopped);
    } else {
        middle(p, at->done, at->elapsed, mid, sizeof mid);
    }
    if (at->end)
        snprintf(when, sizeof when, "%.1fs", at->elapsed);
    else if (rate > 0)
        snprintf(when, sizeof when, "ETA %.0fs", (double)(p->total - at->done) / rate);
    else
        snprintf(when, sizeof when, "ETA ?");
    snprintf(buf, len, "%-*s %s %*s%s%s", LABEL_WIDTH, p->label, mid, WHEN_WIDTH, when,
             at->status ? " | " : "", at->status ? at->status : "");
}

static void draw(const dk_progress *p, const dk_progress_at *at)
{
    char line[512];
    dk_progress_format(p, at, line, sizeof line);
    if (p->tty)
        fprintf(stderr, "\r\033[K%s%s", line, at->end ? "\n" : "");
    else
        fprintf(stderr, "%s\n", line);
    fflush(stderr);
}

void dk_progress_update(dk_progress *p, size_t done, const char *status)
{
    const double now = dk_seconds();
    const dk_progress_at at = {.done = done, .elapsed = now - p->start, .status = status};
    if (p->tty) {
        if (now - p->last_draw < 0.1)
            return;
        p->last_draw = now;
        draw(p, &at);
        return;
    }
    int tenth = p->total ? (int)(10 * done / p->total) : 10;
    if (tenth > p->last_tenth && tenth < 10 && at.elapsed >= 1.0) {
        p->last_tenth = tenth;
        draw(p, &at);
    }
}

void dk_progress_end(dk_progress *p, size_t done, const char *status)
{
    const dk_progress_at at = {.done = done, .elapsed = dk_seconds() - p->start, .end = true,
                               .status = status};
    draw(p, &at);
}

void dk_progress_stop(dk_progress *p, size_t done, const char *why, const char *status)
{
    const dk_progress_at at = {.done = done, .elapsed = dk_seconds() - p->start, .end = true,
                               .stopped = why, .status = status};
    draw(p, &at);
}
