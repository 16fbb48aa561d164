#include "CDesktopShims.h"
