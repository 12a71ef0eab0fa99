// How many samples OptScale peeks at before its first fit when the spec does
// not say: the reference hard-codes 8->3, 16->5, 32->10, 64->20 (paper-spec
// §2); round(5n/16) (halves up), at least 1, reproduces exactly those four
// and extends them to every budget.
#pragma once

namespace optscale::policy {

// Throws optscale::Error unless budget >= 1.
int default_peek(int budget);

}  // namespace optscale::policy
