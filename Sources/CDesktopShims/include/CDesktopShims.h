// C helpers for the GTK/WebKit calls Swift cannot make directly (macros, variadics).
#ifndef PHIDESK_DESKTOP_SHIMS_H
#define PHIDESK_DESKTOP_SHIMS_H
#include <gtk/gtk.h>
#include <webkit/webkit.h>
#endif
