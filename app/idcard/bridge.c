/* yimen-idcard-bridge: loads a vendor's ID-card reader library of its own bitness and makes word-sized calls into it
 * on the program's behalf (app/idcard/bridge.py; docs/devices.md "The bridge").  It knows nothing of the SDKs: which
 * function, in what order, and what the bytes mean stay in Python.  It checks nothing either: the program checks the
 * library's pinned SHA-256 before it asks for the load.
 *
 * Built per bitness by installer/build_bridge.py: yimen-idcard-bridge32 / yimen-idcard-bridge64 (Linux: cc, cc -m32;
 * Windows: MinGW-w64, .exe).  One request per line on stdin, one answer per line on stdout; it ends when stdin
 * closes (or on "quit").  Tokens are separated by one space; byte strings are lower-case hex.
 *
 *   hello                           ok yimen-idcard-bridge <protocol> <bits>
 *   load <hex UTF-8 path>           ok <handle>                      (handles 0, 1, ...; at most MAX_LIBRARIES)
 *   has <handle> <name>             ok 1 | ok 0
 *   call <handle> <name> <ret> <arg>...
 *       ret:  int                   the function returns int         -> i:<decimal>
 *             str | str:<free>      it returns char*: copied up to its NUL (at most MAX_STRING bytes), then given to
 *                                   the library's function <free> when named -> s:<hex> | n (a NULL pointer)
 *       arg:  i:<decimal>           an int (any word-sized value)
 *             b:<hex>               input bytes, NUL-terminated for the callee (b: is the empty string)
 *             o:<size>              an output buffer of size bytes (1..MAX_BUFFER, zeroed) -> o:<hex> of all of it
 *             u:<decimal>           an output unsigned int, starting at the value       -> u:<decimal>
 *       The answer: ok <result> followed by the outputs in the order of their arguments.
 *   quit                            ok, then the bridge exits
 *
 * A malformed request gets "err <kind> <detail>" (kinds: request, limit, load, missing) and the bridge reads on.
 * All arguments are passed as intptr_t through a function pointer of the exact arity (0..MAX_ARGS), __stdcall on
 * 32-bit Windows as the vendors' headers declare (WINAPI), cdecl elsewhere.  The answers go to a duplicate of the
 * original stdout; fd 1 (and on Windows the process's standard output handle) points at stderr before anything is
 * loaded, so whatever a library prints never mixes with them.
 */
#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#else
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>
#endif
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROTOCOL 1
#define MAX_LINE (256 * 1024)  /* a request; longer ones are read to their end and refused */
#define MAX_BUFFER 65536       /* an output buffer or an input byte string (the SDKs need at most 1024) */
#define MAX_STRING 65536       /* a returned string */
#define MAX_ARGS 8
#define MAX_LIBRARIES 8
#define MAX_NAME 255

#if defined(_WIN32) && !defined(_WIN64)
#define SDKCALL __stdcall
#else
#define SDKCALL
#endif

typedef intptr_t word;
typedef void (*any_fn)(void);

typedef int(SDKCALL *int0)(void);
typedef int(SDKCALL *int1)(word);
typedef int(SDKCALL *int2)(word, word);
typedef int(SDKCALL *int3)(word, word, word);
typedef int(SDKCALL *int4)(word, word, word, word);
typedef int(SDKCALL *int5)(word, word, word, word, word);
typedef int(SDKCALL *int6)(word, word, word, word, word, word);
typedef int(SDKCALL *int7)(word, word, word, word, word, word, word);
typedef int(SDKCALL *int8)(word, word, word, word, word, word, word, word);
typedef char *(SDKCALL *str0)(void);
typedef char *(SDKCALL *str1)(word);
typedef char *(SDKCALL *str2)(word, word);
typedef char *(SDKCALL *str3)(word, word, word);
typedef char *(SDKCALL *str4)(word, word, word, word);
typedef char *(SDKCALL *str5)(word, word, word, word, word);
typedef char *(SDKCALL *str6)(word, word, word, word, word, word);
typedef char *(SDKCALL *str7)(word, word, word, word, word, word, word);
typedef char *(SDKCALL *str8)(word, word, word, word, word, word, word, word);
typedef void(SDKCALL *free_fn)(char *);

static FILE *answers;
static void *libraries[MAX_LIBRARIES];
static int library_count = 0;

/* ------------------------------------------------------------------------------------------------ answers */

static void answer_error(const char *kind, const char *detail) {
    fprintf(answers, "err %s ", kind);
    /* The detail may come from the system (dlerror): printable ASCII only, on one line. */
    for (const unsigned char *p = (const unsigned char *)detail; *p; p++) fputc(*p >= 0x20 && *p < 0x7f ? *p : '?', answers);
    fputc('\n', answers);
    fflush(answers);
}

static void put_hex(const unsigned char *bytes, size_t size) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < size; i++) {
        fputc(digits[bytes[i] >> 4], answers);
        fputc(digits[bytes[i] & 15], answers);
    }
}

/* ------------------------------------------------------------------------------------------------ parsing */

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode hex into a new NUL-terminated buffer of at most max bytes; NULL when malformed or too long. */
static unsigned char *from_hex(const char *text, size_t max, size_t *size) {
    size_t length = strlen(text);
    if (length % 2 != 0 || length / 2 > max) return NULL;
    unsigned char *bytes = malloc(length / 2 + 1);
    if (!bytes) return NULL;
    for (size_t i = 0; i < length / 2; i++) {
        int high = hex_value(text[2 * i]), low = hex_value(text[2 * i + 1]);
        if (high < 0 || low < 0) {
            free(bytes);
            return NULL;
        }
        bytes[i] = (unsigned char)(high * 16 + low);
    }
    bytes[length / 2] = 0;
    *size = length / 2;
    return bytes;
}

/* A whole decimal number within [low, high]. */
static int parse_number(const char *text, long long low, long long high, long long *value) {
    char *end;
    if (!*text) return 0;
    errno = 0;
    long long parsed = strtoll(text, &end, 10);
    if (errno != 0 || *end != 0 || parsed < low || parsed > high) return 0;
    *value = parsed;
    return 1;
}

static int parse_handle(const char *text) {
    long long handle;
    if (!text || !parse_number(text, 0, library_count - 1, &handle)) return -1;
    return (int)handle;
}

static int valid_name(const char *name) {
    size_t length = name ? strlen(name) : 0;
    if (length == 0 || length > MAX_NAME) return 0;
    for (size_t i = 0; i < length; i++)
        if (name[i] <= 0x20 || name[i] >= 0x7f) return 0;
    return 1;
}

/* ------------------------------------------------------------------------------------------------ libraries */

static any_fn lookup(int handle, const char *name) {
    any_fn function = NULL;
#ifdef _WIN32
    FARPROC address = GetProcAddress((HMODULE)libraries[handle], name);
    memcpy(&function, &address, sizeof function);
#else
    void *address = dlsym(libraries[handle], name);
    memcpy(&function, &address, sizeof function);
#endif
    return function;
}

static void do_load(const char *hex_path) {
    size_t size;
    unsigned char *path = hex_path ? from_hex(hex_path, 32768, &size) : NULL;
    if (!path || size == 0 || memchr(path, 0, size)) {
        free(path);
        answer_error("request", "load takes the library's path in hex");
        return;
    }
    if (library_count == MAX_LIBRARIES) {
        free(path);
        answer_error("limit", "too many libraries");
        return;
    }
    void *library = NULL;
    char detail[512];
#ifdef _WIN32
    int wide_length = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, (const char *)path, -1, NULL, 0);
    wchar_t *wide = wide_length > 0 ? malloc(sizeof(wchar_t) * (size_t)wide_length) : NULL;
    if (wide && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, (const char *)path, -1, wide, wide_length) > 0) {
        /* The library's own folder is searched for the DLLs it needs (vendors ship them side by side). */
        library = (void *)LoadLibraryExW(wide, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
        snprintf(detail, sizeof detail, "LoadLibrary error %lu", (unsigned long)GetLastError());
    } else {
        snprintf(detail, sizeof detail, "the path is not UTF-8");
    }
    free(wide);
#else
    library = dlopen((const char *)path, RTLD_NOW | RTLD_LOCAL);
    if (!library) snprintf(detail, sizeof detail, "%s", dlerror());
#endif
    free(path);
    if (!library) {
        answer_error("load", detail);
        return;
    }
    libraries[library_count] = library;
    fprintf(answers, "ok %d\n", library_count++);
    fflush(answers);
}

static void do_has(char *handle_text, char *name) {
    int handle = parse_handle(handle_text);
    if (handle < 0 || !valid_name(name)) {
        answer_error("request", "has takes a handle and a name");
        return;
    }
    fprintf(answers, "ok %d\n", lookup(handle, name) != NULL);
    fflush(answers);
}

/* ------------------------------------------------------------------------------------------------ calls */

enum kind { INT_ARG, BYTES_ARG, OUT_BUFFER, OUT_UINT };

struct argument {
    enum kind kind;
    word value;
    unsigned char *bytes; /* BYTES_ARG, OUT_BUFFER */
    size_t size;          /* OUT_BUFFER */
    unsigned int uint;    /* OUT_UINT */
};

static int call_int(any_fn f, int n, const word *a, int *result) {
    switch (n) {
    case 0: *result = ((int0)f)(); break;
    case 1: *result = ((int1)f)(a[0]); break;
    case 2: *result = ((int2)f)(a[0], a[1]); break;
    case 3: *result = ((int3)f)(a[0], a[1], a[2]); break;
    case 4: *result = ((int4)f)(a[0], a[1], a[2], a[3]); break;
    case 5: *result = ((int5)f)(a[0], a[1], a[2], a[3], a[4]); break;
    case 6: *result = ((int6)f)(a[0], a[1], a[2], a[3], a[4], a[5]); break;
    case 7: *result = ((int7)f)(a[0], a[1], a[2], a[3], a[4], a[5], a[6]); break;
    case 8: *result = ((int8)f)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]); break;
    default: return 0;
    }
    return 1;
}

static int call_str(any_fn f, int n, const word *a, char **result) {
    switch (n) {
    case 0: *result = ((str0)f)(); break;
    case 1: *result = ((str1)f)(a[0]); break;
    case 2: *result = ((str2)f)(a[0], a[1]); break;
    case 3: *result = ((str3)f)(a[0], a[1], a[2]); break;
    case 4: *result = ((str4)f)(a[0], a[1], a[2], a[3]); break;
    case 5: *result = ((str5)f)(a[0], a[1], a[2], a[3], a[4]); break;
    case 6: *result = ((str6)f)(a[0], a[1], a[2], a[3], a[4], a[5]); break;
    case 7: *result = ((str7)f)(a[0], a[1], a[2], a[3], a[4], a[5], a[6]); break;
    case 8: *result = ((str8)f)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]); break;
    default: return 0;
    }
    return 1;
}

/* Parse one argument token; 0 when malformed. */
static int parse_argument(const char *token, struct argument *arg) {
    long long number;
    memset(arg, 0, sizeof *arg);
    if (strlen(token) < 2 || token[1] != ':') return 0;
    const char *text = token + 2;
    switch (token[0]) {
    case 'i':
        if (!parse_number(text, INTPTR_MIN, INTPTR_MAX, &number)) return 0;
        arg->kind = INT_ARG;
        arg->value = (word)number;
        return 1;
    case 'b':
        arg->kind = BYTES_ARG;
        arg->bytes = from_hex(text, MAX_BUFFER, &arg->size);
        arg->value = (word)arg->bytes;
        return arg->bytes != NULL;
    case 'o':
        if (!parse_number(text, 1, MAX_BUFFER, &number)) return 0;
        arg->kind = OUT_BUFFER;
        arg->size = (size_t)number;
        arg->bytes = calloc(arg->size, 1);
        arg->value = (word)arg->bytes;
        return arg->bytes != NULL;
    case 'u':
        if (!parse_number(text, 0, UINT_MAX, &number)) return 0;
        arg->kind = OUT_UINT;
        arg->uint = (unsigned int)number;
        arg->value = (word)&arg->uint;
        return 1;
    default:
        return 0;
    }
}

static void do_call(char *handle_text, char *name, char *ret, char **tokens, int count) {
    struct argument args[MAX_ARGS];
    word values[MAX_ARGS];
    int parsed = 0, ok = 1;
    int handle = parse_handle(handle_text);
    const char *free_name = NULL;
    int returns_string = 0;
    if (handle < 0 || !valid_name(name) || !ret) {
        answer_error("request", "call takes a handle, a name, a return kind and the arguments");
        return;
    }
    if (strcmp(ret, "str") == 0) {
        returns_string = 1;
    } else if (strncmp(ret, "str:", 4) == 0 && valid_name(ret + 4)) {
        returns_string = 1;
        free_name = ret + 4;
    } else if (strcmp(ret, "int") != 0) {
        answer_error("request", "the return kind is int, str or str:<free function>");
        return;
    }
    if (count > MAX_ARGS) {
        answer_error("limit", "at most 8 arguments");
        return;
    }
    for (; parsed < count; parsed++) {
        if (!parse_argument(tokens[parsed], &args[parsed])) {
            ok = 0;
            free(args[parsed].bytes);
            break;
        }
        values[parsed] = args[parsed].value;
    }
    any_fn function = ok ? lookup(handle, name) : NULL;
    any_fn release = ok && free_name ? lookup(handle, free_name) : NULL;
    if (!ok) {
        answer_error("request", "an argument is i:<int>, b:<hex>, o:<size 1..65536> or u:<uint>");
    } else if (!function) {
        answer_error("missing", name);
    } else if (free_name && !release) {
        answer_error("missing", free_name);
    } else if (returns_string) {
        char *string = NULL;
        call_str(function, count, values, &string);
        if (!string) {
            fputs("ok n", answers);
        } else {
            size_t length = 0;
            while (length < MAX_STRING && string[length]) length++;
            fputs("ok s:", answers);
            put_hex((const unsigned char *)string, length);
            if (release) {
                free_fn release_string;
                memcpy(&release_string, &release, sizeof release_string);
                release_string(string);
            }
        }
    } else {
        int result = 0;
        call_int(function, count, values, &result);
        fprintf(answers, "ok i:%d", result);
    }
    if (ok && function && (!free_name || release)) {
        for (int i = 0; i < count; i++) {
            if (args[i].kind == OUT_BUFFER) {
                fputs(" o:", answers);
                put_hex(args[i].bytes, args[i].size);
            } else if (args[i].kind == OUT_UINT) {
                fprintf(answers, " u:%u", args[i].uint);
            }
        }
        fputc('\n', answers);
        fflush(answers);
    }
    for (int i = 0; i < parsed; i++) free(args[i].bytes);
}

/* ------------------------------------------------------------------------------------------------ the loop */

/* One line without its end into line (NUL-terminated): its length; -1 at the end of input; -2 when it was longer
 * than MAX_LINE or held a NUL byte (read to its end all the same). */
static long read_line(char *line) {
    long length = 0;
    int c, bad = 0, any = 0;
    while ((c = getchar()) != EOF) {
        any = 1;
        if (c == '\n') break;
        if (c == 0 || length == MAX_LINE) {
            bad = 1;
            continue;
        }
        line[length++] = (char)c;
    }
    if (!any) return -1;
    if (length > 0 && line[length - 1] == '\r') length--;
    line[length] = 0;
    return bad ? -2 : length;
}

int main(void) {
    static char line[MAX_LINE + 1];
    char *tokens[MAX_ARGS + 8];
#ifdef _WIN32
    _setmode(_fileno(stdin), _O_BINARY);
    int fd = _dup(1);
    _dup2(2, 1);
    SetStdHandle(STD_OUTPUT_HANDLE, GetStdHandle(STD_ERROR_HANDLE));
    answers = fd >= 0 ? _fdopen(fd, "wb") : NULL;
    /* A library that cannot be loaded shows no dialog: it is an answer. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
#else
    int fd = dup(1);
    if (fd >= 0) fcntl(fd, F_SETFD, FD_CLOEXEC); /* a program the library starts does not get the answers */
    dup2(2, 1);
    answers = fd >= 0 ? fdopen(fd, "w") : NULL;
#endif
    if (!answers) return 2;
    for (;;) {
        long length = read_line(line);
        if (length == -1) break;
        if (length == -2) {
            answer_error("limit", "a request is one line of at most 262144 bytes without NUL");
            continue;
        }
        int count = 0;
        for (char *token = strtok(line, " "); token; token = strtok(NULL, " ")) {
            if (count == (int)(sizeof tokens / sizeof tokens[0])) {
                count++;
                break;
            }
            tokens[count++] = token;
        }
        if (count > (int)(sizeof tokens / sizeof tokens[0])) {
            answer_error("limit", "too many words");
        } else if (count == 0) {
            answer_error("request", "an empty request");
        } else if (strcmp(tokens[0], "hello") == 0 && count == 1) {
            fprintf(answers, "ok yimen-idcard-bridge %d %d\n", PROTOCOL, (int)(sizeof(void *) * 8));
            fflush(answers);
        } else if (strcmp(tokens[0], "load") == 0 && count == 2) {
            do_load(tokens[1]);
        } else if (strcmp(tokens[0], "has") == 0 && count == 3) {
            do_has(tokens[1], tokens[2]);
        } else if (strcmp(tokens[0], "call") == 0 && count >= 4) {
            do_call(tokens[1], tokens[2], tokens[3], tokens + 4, count - 4);
        } else if (strcmp(tokens[0], "quit") == 0 && count == 1) {
            fputs("ok\n", answers);
            fflush(answers);
            break;
        } else {
            answer_error("request", "hello, load, has, call or quit");
        }
    }
    return 0;
}
