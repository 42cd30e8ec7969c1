/**
 * @file cjm/mine.h
 * @brief Event logs (XES) and mining actual journeys.
 */
#ifndef CJM_MINE_H
#define CJM_MINE_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
