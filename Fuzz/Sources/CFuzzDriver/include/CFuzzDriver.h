// libFuzzer's entry point for programs that have a main of their own (SwiftPM gives every executable
// target one): it parses libFuzzer's options from argv and runs `callback` on each input.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
