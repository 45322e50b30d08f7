/* The answer key of the debugging exercise (debug/answers.txt): set-up
 * k + 1's fault. It lives with the reference, which the students' copy of
 * the kit ships compiled, so that no source a student reads gives it away;
 * grader/03-training/test_4_debug.c checks the answers against it. */
const char *const DEBUG_KEY[5] = {"lr_too_high", "labels_shuffled", "sorted_without_shuffle",
                                  "zero_init", "dead_relu"};
