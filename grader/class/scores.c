/* A student's scores: each chapter's public and hidden points, the
 * instructor's overrides, and the total out of 100 (grader/class/README.md). */
#include "gradebook.h"

#include <stdlib.h>
#include <string.h>

double hidden_weight(const chapter *ch)
{
    return !ch->hidden_max ? 0 : ch->hidden_weight >= 0 ? ch->hidden_weight
                                                      : ch->weight * ch->hidden_max / ch->max;
}

double meta_number(const student *s, int m)
{
    return s->meta[m] ? atof(s->meta[m]) : 0;
}

static void append_override(student *s, const override *o)
{
    char *old = s->overrides;
    s->overrides = gb_format("%s%s%s=%g: %s", old, *old ? "; " : "", o->what, o->score, o->reason);
    free(old);
}

/* The weighted mean of the chapters' fractions, out of 100. */
static double weighted_total(const gradebook *gb, const student *s)
{
    double sum = 0, weights = 0;
    for (int i = 0; i < gb->nchapters; i++) {
        const chapter *ch = &gb->chapters[i];
        double hw = hidden_weight(ch);
        sum += ch->weight * s->public_points[i] / ch->max;
        if (hw > 0)
            sum += hw * s->hidden_points[i] / ch->hidden_max;
        weights += ch->weight + hw;
    }
    return weights > 0 ? 100 * sum / weights : 0;
}

void score(const gradebook *gb, student *s)
{
    s->overrides = gb_strdup("");
    for (int c = 0; c < gb->ncolumns; c++) {
        double *points = gb->columns[c].hidden ? s->hidden_points : s->public_points;
        points[gb->columns[c].chapter] += s->cells[c].points;
    }
    bool total_set = false;
    for (int i = 0; i < gb->noverrides; i++) {
        const override *o = &gb->overrides[i];
        if (strcmp(o->id, s->id) != 0)
            continue;
        append_override(s, o);
        if (strcmp(o->what, "total") == 0)
            s->total = o->score, total_set = true;
        else
            s->public_points[gb_find_chapter(gb, o->what)] = o->score;
    }
    if (!total_set)
        s->total = weighted_total(gb, s);
}
