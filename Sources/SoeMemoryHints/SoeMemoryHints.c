// The hints are inline functions in include/SoeMemoryHints.h; a C target needs one source file.
#include "SoeMemoryHints.h"
