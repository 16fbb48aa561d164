#include "CDesktopShims.h"

gulong phidesk_signal_connect(gpointer instance, const char *signal, GCallback handler,
                              gpointer data) {
    return g_signal_connect_data(instance, signal, handler, data, NULL, 0);
}

GtkWidget *phidesk_web_view_new(WebKitWebContext *context, WebKitNetworkSession *session,
                                WebKitSettings *settings, WebKitUserContentManager *content) {
    return GTK_WIDGET(g_object_new(WEBKIT_TYPE_WEB_VIEW,
                                   "web-context", context,
                                   "network-session", session,
                                   "settings", settings,
                                   "user-content-manager", content,
                                   NULL));
}

GtkWindow *phidesk_as_window(gpointer object) {
    return GTK_IS_WINDOW(object) ? GTK_WINDOW(object) : NULL;
}

GtkWidget *phidesk_as_widget(gpointer object) {
    return GTK_IS_WIDGET(object) ? GTK_WIDGET(object) : NULL;
}

GApplication *phidesk_as_application(gpointer object) {
    return G_IS_APPLICATION(object) ? G_APPLICATION(object) : NULL;
}

WebKitWebView *phidesk_as_web_view(gpointer object) {
    return WEBKIT_IS_WEB_VIEW(object) ? WEBKIT_WEB_VIEW(object) : NULL;
}

const char *phidesk_decision_target_uri(WebKitPolicyDecision *decision) {
    if (!WEBKIT_IS_NAVIGATION_POLICY_DECISION(decision)) return NULL;
    WebKitNavigationAction *action = webkit_navigation_policy_decision_get_navigation_action(
        WEBKIT_NAVIGATION_POLICY_DECISION(decision));
    if (action == NULL) return NULL;
    WebKitURIRequest *request = webkit_navigation_action_get_request(action);
    return request == NULL ? NULL : webkit_uri_request_get_uri(request);
}

GtkWidget *phidesk_confirm_dialog_new(GtkWindow *parent, const char *text) {
    return gtk_message_dialog_new(parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                  GTK_MESSAGE_QUESTION, GTK_BUTTONS_OK_CANCEL, "%s", text);
}

GApplicationFlags phidesk_application_flags(gboolean unique) {
    return G_APPLICATION_HANDLES_COMMAND_LINE | (unique ? 0 : G_APPLICATION_NON_UNIQUE);
}
