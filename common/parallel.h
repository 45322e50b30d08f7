/* Two calls at once, for the kit's programs: a training step may run the
 * two halves of its batch side by side (drivers/04-cnn/cnn_recipe.c).
 * Never under the grader, whose calls to your code go one at a time. */
#ifndef DLKIT_PARALLEL_H
#define DLKIT_PARALLEL_H

/* Calls run(a) here and run(b) on a thread of its own and returns when
 * both are done; b NULL: run(a) only. If no thread can start, run(b)
 * follows run(a) here. */
void dk_run_both(void (*run)(void *), void *a, void *b);

/* The cores this process may run on (1 when it cannot tell). */
int dk_cores(void);

#endif
