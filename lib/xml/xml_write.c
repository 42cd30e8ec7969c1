/* Journey XML writer. */
#include "cjm/xml.h"
#include "core/core.h"

int cjm_xml_write_buffer(cjm_buffer *out, const cjm_map *map,
                         const cjm_xml_write_options *options)
{
    (void)out, (void)map, (void)options;
    return cjm__error(CJM_EUNSUPPORTED, "the Journey XML writer is not built yet");
}

int cjm_xml_write_file(const cjm_map *map, const char *path,
                       const cjm_xml_write_options *options)
{
    (void)map, (void)path, (void)options;
    return cjm__error(CJM_EUNSUPPORTED, "the Journey XML writer is not built yet");
}
