// Compiled as C++ with -pedantic -Werror: the public headers must be usable from C++.
#include <cjm.h>
#include <cstring>

int main()
{
    cjm_map *map = nullptr;
    if (cjm_map_new(&map, nullptr) != CJM_OK)
        return 1;
    cjm_map_free(map);
    return std::strcmp(cjm_version(), CJM_VERSION) == 0 ? 0 : 1;
}
