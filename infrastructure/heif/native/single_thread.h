/* Force-included in libheif's C++ on wasm32-wasi, whose libc++ is built without threads: the
 * decoder runs on one thread, so its locks are empty. */
#ifdef __cplusplus
#include <mutex>
#ifdef _LIBCPP_HAS_NO_THREADS
namespace std {
struct mutex { void lock() {} void unlock() {} bool try_lock() { return true; } };
struct recursive_mutex { void lock() {} void unlock() {} bool try_lock() { return true; } };
}
#endif
#endif
