/* A stand-in for a vendor's ID-card reader library, built by the tests with the system compiler and loaded with
 * real ctypes (tests/app/idcard/conftest.py).  It exports both shapes of rules.md §6:
 *
 *   termb:  InitComm Authenticate Read_Content_Path (unless NO_READ_CONTENT_PATH) Read_Content CloseComm,
 *           the getters (with GETTERS: Read_Content* then writes no wz.txt) and DeleteMBCSString;
 *   sdt:    SDT_OpenPort SDT_StartFindIDCard SDT_SelectIDCard SDT_ReadBaseMsg SDT_ClosePort;
 *   wltrs:  GetBmp (built alone with WLTRS).
 *
 * The "field" is the folder named by YIMEN_FAKE_READER: a card lies on the reader while card.bin (the chip's
 * 256-byte text) is there; photo.bmp is the termb SDK's decoded photo, wlt.bin the raw WLT photo, getters.txt the
 * getters' values (key=value lines, UTF-8).  Port 1001 is the one reader plugged in.  calls.log counts the reads.
 * With NOISY the library prints to stdout at every call, as some vendors' debug builds do (lines that look like the
 * bridge's answers, without and with a newline).  The tests build it for both bitnesses (cc, cc -m32).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char field_path[4096];

#ifdef NOISY
#define NOISE(name) do { printf("ok i:0 %s", name); fflush(stdout); puts(""); } while (0)
#else
#define NOISE(name) do { } while (0)
#endif

static const char *in_field(const char *name) {
    const char *dir = getenv("YIMEN_FAKE_READER");
    snprintf(field_path, sizeof field_path, "%s/%s", dir ? dir : ".", name);
    return field_path;
}

static long read_file(const char *path, unsigned char *buf, long size) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    long n = (long)fread(buf, 1, (size_t)size, f);
    fclose(f);
    return n;
}

#ifndef WLTRS
static int copy_file(const char *from, const char *to) {
    unsigned char buf[65536];
    long n = read_file(from, buf, sizeof buf);
    if (n < 0) return 0;
    FILE *f = fopen(to, "wb");
    if (!f) return 0;
    fwrite(buf, 1, (size_t)n, f);
    fclose(f);
    return 1;
}

/* Loading the library is recorded, so a test can tell that a refused library was never loaded. */
__attribute__((constructor)) static void loaded(void) {
    NOISE("loaded");
    FILE *f = fopen(in_field("calls.log"), "a");
    if (f) { fputs("loaded\n", f); fclose(f); }
}

static int card_present(void) {
    FILE *f = fopen(in_field("card.bin"), "rb");
    if (!f) return 0;
    fclose(f);
    return 1;
}

static void count_read(void) {
    FILE *f = fopen(in_field("calls.log"), "a");
    if (f) { fputs("read\n", f); fclose(f); }
}

#endif

#ifdef WLTRS
int GetBmp(const char *wlt_file, int intf) {
    (void)intf;
    char bmp[4096];
    unsigned char buf[2048];
    long n = read_file(wlt_file, buf, sizeof buf);
    if (n <= 0) return -1;
    snprintf(bmp, sizeof bmp, "%s", wlt_file);
    char *dot = strrchr(bmp, '.');
    if (!dot) return -2;
    strcpy(dot, ".bmp");
    FILE *f = fopen(bmp, "wb");
    if (!f) return -3;
    fputs("BM", f);                       /* a "decoded" photo: the WLT bytes behind a BMP signature */
    fwrite(buf, 1, (size_t)n, f);
    fclose(f);
    return 1;
}
#else

/* ------------------------------------------------------------------ termb */
static int opened_port = 0;

int InitComm(int port) {
    NOISE("InitComm");
    if (port != 1001) return 0;
    opened_port = port;
    return 1;
}

int CloseComm(void) { opened_port = 0; return 1; }

int Authenticate(void) { NOISE("Authenticate"); return opened_port && card_present() ? 1 : 0; }

static int read_to(const char *dir) {
    char target[4096];
    NOISE("read");
    if (!opened_port || !card_present()) return 0;
    count_read();
#ifndef GETTERS
    snprintf(target, sizeof target, "%s/wz.txt", dir);
    if (!copy_file(in_field("card.bin"), target)) return 0;
#endif
    snprintf(target, sizeof target, "%s/zp.bmp", dir);
    copy_file(in_field("photo.bmp"), target);   /* optional */
    return 1;
}

#ifndef NO_READ_CONTENT_PATH
int Read_Content_Path(const char *dir, int active) { (void)active; return read_to(dir); }
#endif

int Read_Content(int active) { (void)active; return read_to("."); }

static char *getter(const char *key) {
    char line[1024];
    FILE *f = fopen(in_field("getters.txt"), "r");
    size_t klen = strlen(key);
    if (!f) return NULL;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
            char *value = line + klen + 1;
            value[strcspn(value, "\r\n")] = 0;
            fclose(f);
            return strdup(value);
        }
    }
    fclose(f);
    return strdup("");
}

void DeleteMBCSString(char *s) { free(s); }
char *GetName(void) { return getter("name"); }
char *GetSex(void) { return getter("sex"); }
char *GetNation(void) { return getter("nation"); }
char *GetBornDate(void) { return getter("birth"); }
char *GetAddress(void) { return getter("address"); }
char *GetIDNo(void) { return getter("id"); }
char *GetSignGov(void) { return getter("authority"); }
char *GetStartDate(void) { return getter("from"); }
char *GetEndDate(void) { return getter("to"); }
int IsFPRIDCard(void) { char *v = getter("fpr"); int yes = v && v[0] == '1'; free(v); return yes; }
char *GetFPR_ENName(void) { return getter("en_name"); }
char *GetFPR_SEX(void) { return getter("sex"); }
char *GetFPR_IDNo(void) { return getter("id"); }
char *GetFPR_NationCode(void) { return getter("nationality"); }
char *GetFPR_CHNName(void) { return getter("name"); }
char *GetFPR_ValidStartDate(void) { return getter("from"); }
char *GetFPR_ValidEndDate(void) { return getter("to"); }
char *GetFPR_Birthday(void) { return getter("birth"); }
char *GetFPR_IssuingAuthorityCode(void) { return getter("authority"); }

/* ------------------------------------------------------------------ sdt (公安部) */
static int sdt_port = 0;
static int sdt_found = 0;

int SDT_OpenPort(int port) {
    if (port != 1001) return 0x01;
    sdt_port = port;
    return 0x90;
}

int SDT_ClosePort(int port) { (void)port; sdt_port = 0; return 0x90; }

int SDT_StartFindIDCard(int port, unsigned char *iin, int ifopen) {
    (void)ifopen;
    if (!sdt_port || port != sdt_port) return 0x01;
    sdt_found = card_present();
    if (sdt_found) memset(iin, 0, 4);
    return sdt_found ? 0x9F : 0x80;
}

int SDT_SelectIDCard(int port, unsigned char *sn, int ifopen) {
    (void)ifopen;
    if (!sdt_found || port != sdt_port) return 0x81;
    memset(sn, 0, 8);
    return 0x90;
}

int SDT_ReadBaseMsg(int port, unsigned char *ch, unsigned int *chlen, unsigned char *ph, unsigned int *phlen,
                    int ifopen) {
    (void)ifopen;
    if (!sdt_found || port != sdt_port) return 0x41;
    count_read();
    long n = read_file(in_field("card.bin"), ch, 256);
    if (n != 256) return 0x41;
    *chlen = 256;
    long p = read_file(in_field("wlt.bin"), ph, 1024);
    *phlen = p > 0 ? (unsigned int)p : 0;
    sdt_found = 0;
    return 0x90;
}
#endif
