// C helpers for the GTK/WebKit calls Swift cannot make directly: GObject cast macros,
// g_signal_connect (a macro), and variadic constructors (g_object_new, dialogs).
#ifndef PHIDESK_DESKTOP_SHIMS_H
#define PHIDESK_DESKTOP_SHIMS_H
#include <gtk/gtk.h>
#include <webkit/webkit.h>

// g_signal_connect is a macro over g_signal_connect_data; Swift cannot call macros.
gulong phidesk_signal_connect(gpointer instance, const char *signal, GCallback handler,
                              gpointer data);

// WebKitGTK 6 removed webkit_web_view_new_with_*; construct-only properties must be given
// to the variadic g_object_new, which Swift cannot call.
GtkWidget *phidesk_web_view_new(WebKitWebContext *context, WebKitNetworkSession *session,
                                WebKitSettings *settings, WebKitUserContentManager *content);

// Checked GObject casts (the GTK_WINDOW() etc. macros); NULL when the type does not match.
GtkWindow *phidesk_as_window(gpointer object);
GtkWidget *phidesk_as_widget(gpointer object);
GApplication *phidesk_as_application(gpointer object);
WebKitWebView *phidesk_as_web_view(gpointer object);

// The target URI of a navigation or new-window decision (the WEBKIT_NAVIGATION_POLICY_
// DECISION cast is a macro); NULL for other decision types.
const char *phidesk_decision_target_uri(WebKitPolicyDecision *decision);

// gtk_message_dialog_new is variadic (printf-style); the text is passed as one "%s"
// argument so it is never interpreted as a format.
GtkWidget *phidesk_confirm_dialog_new(GtkWindow *parent, const char *text);

// G_APPLICATION_FLAGS_NONE etc. are enums Swift imports awkwardly across GLib versions.
GApplicationFlags phidesk_application_flags(gboolean unique);
#endif
