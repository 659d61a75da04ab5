package web_test

// The note billing settings routes in the security route tables: owners
// only (TestNoteSettingsPage checks the other roles are refused).

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /admin/note-settings", path: "/admin/note-settings", access: session},
		route{pattern: "POST /admin/note-settings", path: "/admin/note-settings", access: session, body: func(f *fixture) string {
			return formBody("rule", "ama", "code.swedish", "97140", "payer_name.0", "Hijacked Payer", "payer_rule.0", "cms")
		}},
	)
}
