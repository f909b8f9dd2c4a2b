// Public embedding API implementation (include/rill/rill.h).
