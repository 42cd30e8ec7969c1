/**
 * @file cjm/analysis.h
 * @brief Analyses of journeys.
 */
#ifndef CJM_ANALYSIS_H
#define CJM_ANALYSIS_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
