/* Journey XML reader. */
#include "cjm/xml.h"
#include "xml/xmlsafe.h"

int cjm_xml_read_file(cjm_map **out, const char *path, const cjm_xml_read_options *options)
{
    (void)path, (void)options;
    if (out)
        *out = NULL;
    return cjm__error(CJM_EUNSUPPORTED, "the Journey XML reader is not built yet");
}

int cjm_xml_read_memory(cjm_map **out, const void *data, size_t size,
                        const cjm_xml_read_options *options)
{
    (void)data, (void)size;
    return cjm_xml_read_file(out, NULL, options);
}

int cjm_xml_read_fd(cjm_map **out, int fd, const cjm_xml_read_options *options)
{
    (void)fd;
    return cjm_xml_read_file(out, NULL, options);
}
