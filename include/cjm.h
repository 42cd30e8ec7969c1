/**
 * @file cjm.h
 * @brief The umbrella header: include this to use the whole library.
 *
 * cjm models customer journeys as touchpoint graphs, reads and writes them,
 * analyses them and draws them. See the module headers under `cjm/`.
 */
#ifndef CJM_H
#define CJM_H

#include "cjm/common.h"
#include "cjm/error.h"
#include "cjm/model.h"
#include "cjm/xml.h"
#include "cjm/render.h"
#include "cjm/analysis.h"
#include "cjm/mine.h"

#endif
