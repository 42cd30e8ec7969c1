/**
 * @file cjm/render.h
 * @brief Diagrams: Graphviz and Mermaid export.
 */
#ifndef CJM_RENDER_H
#define CJM_RENDER_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
