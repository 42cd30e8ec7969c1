/**
 * @file cjm/xml.h
 * @brief Journey XML: reading and writing journey maps.
 */
#ifndef CJM_XML_H
#define CJM_XML_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
