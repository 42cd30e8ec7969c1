/* Shared by the Journey XML reader and writer. */
#ifndef CJM_XML_INTERNAL_H
#define CJM_XML_INTERNAL_H

/* The namespace of Journey XML version 1. */
#define CJM__XML_NAMESPACE "urn:cjm:journey:1"

#endif
