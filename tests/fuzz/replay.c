/* Runs a libFuzzer target without libFuzzer: every file of the corpus folder given as the only
 * argument, then each of those inputs mutated in simple ways (truncations, byte flips, random
 * bytes) from a fixed seed, so a crash found once is found again on every run. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rng_state = 2463534242u;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void run_mutations(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size + 16);
    if (!buf) return;
    LLVMFuzzerTestOneInput(data, size);
    for (size_t cut = 0; cut < size; cut++) LLVMFuzzerTestOneInput(data, cut);
    for (int round = 0; round < 200; round++) {
        memcpy(buf, data, size);
        size_t n = size;
        int edits = 1 + (int)(rng() % 4);
        for (int e = 0; e < edits; e++) {
            uint32_t r = rng();
            if (n > 0 && r % 3 == 0) buf[r % n] = (uint8_t)rng();
            else if (n > 0 && r % 3 == 1) buf[r % n] ^= (uint8_t)(1u << (rng() % 8));
            else if (n < size + 16) buf[n++] = (uint8_t)rng();
        }
        LLVMFuzzerTestOneInput(buf, n);
    }
    free(buf);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 1;
    }
    int files = 0;
    struct dirent *ent;
    while ((ent = readdir(dir))) {
        if (ent->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], ent->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        uint8_t data[65536];
        size_t size = fread(data, 1, sizeof data, f);
        fclose(f);
        run_mutations(data, size);
        files++;
    }
    closedir(dir);
    printf("replayed %d corpus files with mutations\n", files);
    return files > 0 ? 0 : 1;
}
