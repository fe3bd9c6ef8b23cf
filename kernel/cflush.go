package kernel

// #include <stdio.h>
import "C"

// flushC empties C's stdio buffers (MLX and other C/C++ code print through
// them), so their text reaches the captured descriptors before a cell's
// reply is sent.
func flushC() { C.fflush(nil) }
