package web

// The service menu, packages and rooms of the scheduling settings.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
)

// schedProcLines is how many procedure lines the service form offers: a
// massage session rarely bills more than two or three codes.
const schedProcLines = 4

// schedPriceField maps the app's field name of a price to the form's.
var schedPriceField = map[string]string{"price_cents": "price"}

// ---- services ----

// SchedServicesPage is the data of scheduling_services.html.
type SchedServicesPage struct {
	SchedPage
	Services []SchedServiceRow
}

// SchedServiceRow is a service as the list shows it.
type SchedServiceRow struct {
	schedule.Service
	Price, Performers, Buffers string
	// Procedures are its procedure lines, "97140 ×2".
	Procedures []string
}

// schedBuffers writes a service's buffers: "+15 min after", "+5 before, +15 after".
func schedBuffers(before, after int) string {
	switch {
	case before > 0 && after > 0:
		return "+" + strconv.Itoa(before) + " before, +" + strconv.Itoa(after) + " after"
	case before > 0:
		return "+" + strconv.Itoa(before) + " min before"
	case after > 0:
		return "+" + strconv.Itoa(after) + " min after"
	}
	return ""
}

func (s *Server) schedServices(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	svcs, err := s.App.Services(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	st, err := s.schedStaffOf(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p := SchedServicesPage{SchedPage: schedPage(r, a, "services", "Services")}
	for _, sv := range svcs {
		row := SchedServiceRow{Service: sv, Price: app.Money(sv.PriceCents), Procedures: schedProcedures(sv.Procedures), Performers: "Every therapist",
			Buffers: schedBuffers(sv.BufferBefore, sv.BufferAfter)}
		if len(sv.Performers) > 0 {
			names := make([]string, 0, len(sv.Performers))
			for _, id := range sv.Performers {
				names = append(names, st.name(id))
			}
			row.Performers = strings.Join(names, ", ")
		}
		p.Services = append(p.Services, row)
	}
	s.render(w, r, http.StatusOK, "scheduling_services", p)
}

// schedProcedures writes procedure lines as "97140 ×2", "97124 ×1".
func schedProcedures(pl []schedule.ProcedureLine) []string {
	parts := make([]string, len(pl))
	for i, l := range pl {
		parts[i] = l.Code + " ×" + strconv.Itoa(l.Units)
	}
	return parts
}

// SchedServiceFormPage is the data of scheduling_service.html.
type SchedServiceFormPage struct {
	SchedPage
	ID    int64
	IsNew bool
	Staff []clinic.User // who may be chosen to perform it
}

// ProcRows numbers the procedure line rows of the form.
func (p SchedServiceFormPage) ProcRows() []int {
	out := make([]int, schedProcLines)
	for i := range out {
		out[i] = i
	}
	return out
}

// Code and Units name the inputs of procedure line i.
func (SchedServiceFormPage) Code(i int) string  { return "proc" + strconv.Itoa(i) + "_code" }
func (SchedServiceFormPage) Units(i int) string { return "proc" + strconv.Itoa(i) + "_units" }

// BadLine reports whether procedure row i is the one the error is about.
func (p SchedServiceFormPage) BadLine(i int) bool {
	return strings.HasPrefix(p.E("service", "procedures"), "Line "+strconv.Itoa(i+1)+":")
}

// Performs reports whether user id is ticked as a performer.
func (p SchedServiceFormPage) Performs(id int64) bool {
	return p.Values != nil && slices.Contains(p.Values["performers"], strconv.FormatInt(id, 10))
}

// schedServiceValues is sv as its form shows it.
func schedServiceValues(sv schedule.Service) url.Values {
	v := url.Values{}
	v.Set("name", sv.Name)
	v.Set("description", sv.Description)
	v.Set("minutes", strconv.Itoa(sv.Minutes))
	v.Set("buffer_before", strconv.Itoa(sv.BufferBefore))
	v.Set("buffer_after", strconv.Itoa(sv.BufferAfter))
	v.Set("price", schedDollars(sv.PriceCents))
	var f SchedServiceFormPage
	for i, l := range sv.Procedures {
		v.Set(f.Code(i), l.Code)
		v.Set(f.Units(i), strconv.Itoa(l.Units))
	}
	for _, id := range sv.Performers {
		v.Add("performers", strconv.FormatInt(id, 10))
	}
	for name, on := range map[string]bool{"needs_prescription": sv.NeedsPrescription, "online": sv.Online, "active": sv.Active} {
		if on {
			v.Set(name, "1")
		}
	}
	return v
}

// schedServiceFromForm reads the service form. Field errors are those of what
// was typed (a length that is not a number) and of the menu's rules, so
// the form shows every mistake at once.
func schedServiceFromForm(v url.Values) (schedule.Service, errs.FieldErrors) {
	f := errs.FieldErrors{}
	sv := schedule.Service{Name: v.Get("name"), Description: strings.TrimSpace(v.Get("description")),
		NeedsPrescription: schedChecked(v, "needs_prescription"), Online: schedChecked(v, "online"), Active: schedChecked(v, "active")}
	sv.Minutes = schedInt(f, v, "minutes", "Enter the length in minutes, such as 60.")
	for _, b := range []struct {
		name string
		to   *int
	}{{"buffer_before", &sv.BufferBefore}, {"buffer_after", &sv.BufferAfter}} {
		if strings.TrimSpace(v.Get(b.name)) != "" {
			*b.to = schedInt(f, v, b.name, "Enter minutes as a whole number, such as 0 or 15.")
		}
	}
	sv.PriceCents = schedDollarsField(f, v, "price", true)
	var names SchedServiceFormPage
	for i := range schedProcLines {
		code, units := strings.TrimSpace(v.Get(names.Code(i))), strings.TrimSpace(v.Get(names.Units(i)))
		line := "Line " + strconv.Itoa(i+1) + ": "
		switch {
		case code == "" && units == "":
			continue
		case code == "":
			f.Add("procedures", line+"enter the procedure code, or clear the units.")
			continue
		}
		// Checked here rather than only by the menu's rules, which number
		// the lines without the empty rows: the form numbers its rows.
		code = strings.ToUpper(code)
		if !schedule.ProcedureCode(code) {
			f.Add("procedures", line+"enter a five-character CPT or HCPCS code, such as 97140 or G0283.")
			continue
		}
		n := 1
		if units != "" {
			var err error
			if n, err = strconv.Atoi(units); err != nil || n < 1 || n > 8 {
				f.Add("procedures", line+"bill 1 to 8 units.")
				continue
			}
		}
		sv.Procedures = append(sv.Procedures, schedule.ProcedureLine{Code: code, Units: n})
	}
	for _, p := range v["performers"] {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			f.Add("performers", "Choose therapists from the list.")
			continue
		}
		if !slices.Contains(sv.Performers, id) {
			sv.Performers = append(sv.Performers, id)
		}
	}
	check := sv
	check.Procedures = slices.Clone(sv.Procedures)
	if err := check.Validate(); err != nil {
		schedAddFields(f, err, schedPriceField)
	}
	return sv, f
}

// schedServiceForm starts the service form. Who may be ticked are the
// bookable staff and, so that saving keeps them, those already ticked who
// no longer are (a therapist who left).
func (s *Server) schedServiceForm(r *http.Request, a *auth.Actor, id int64, performers []int64) (SchedServiceFormPage, error) {
	st, err := s.schedStaffOf(r.Context(), a)
	if err != nil {
		return SchedServiceFormPage{}, err
	}
	staff := slices.Clone(st.bookable)
	for _, u := range st.all {
		if slices.Contains(performers, u.ID) && !slices.ContainsFunc(staff, func(b clinic.User) bool { return b.ID == u.ID }) {
			staff = append(staff, u)
		}
	}
	title := "Edit the service"
	if id == 0 {
		title = "Add a service"
	}
	p := SchedServiceFormPage{SchedPage: schedPage(r, a, "services", title), ID: id, IsNew: id == 0, Staff: staff}
	p.Form = "service"
	return p, nil
}

func (s *Server) schedServiceNew(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, err := s.schedServiceForm(r, a, 0, nil)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p.Values = schedServiceValues(schedule.Service{Minutes: 60, BufferAfter: 15, Online: true, Active: true})
	s.render(w, r, http.StatusOK, "scheduling_service", p)
}

func (s *Server) schedServiceEdit(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "service")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	svcs, err := s.App.Services(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	i := slices.IndexFunc(svcs, func(sv schedule.Service) bool { return sv.ID == id })
	if i < 0 {
		s.fail(w, r, a, errs.E(errs.NotFound, "There is no such service."))
		return
	}
	p, err := s.schedServiceForm(r, a, id, svcs[i].Performers)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p.Title = "Edit " + svcs[i].Name
	p.Values = schedServiceValues(svcs[i])
	s.render(w, r, http.StatusOK, "scheduling_service", p)
}

// schedServiceSave adds a service (POST …/services) or saves one (POST …/services/{id}).
func (s *Server) schedServiceSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathNumber(r, "id", "service"); err != nil {
			s.fail(w, r, a, err)
			return
		}
	}
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	sv, f := schedServiceFromForm(r.PostForm)
	sv.ID = id
	err := f.Err()
	if err == nil {
		err = schedRename(s.App.SaveService(r.Context(), a, &sv), schedPriceField)
	}
	if err == nil {
		http.Redirect(w, r, "/admin/scheduling/services?saved=1", http.StatusSeeOther)
		return
	}
	p, perr := s.schedServiceForm(r, a, id, sv.Performers)
	if perr != nil {
		s.fail(w, r, a, perr)
		return
	}
	if !p.sendBack("service", r, err) {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, errs.HTTPStatus(err), "scheduling_service", p)
}

// ---- packages ----

// SchedPackagesPage is the data of scheduling_packages.html.
type SchedPackagesPage struct {
	SchedPage
	Packages []SchedPackageRow
	Services []schedule.Service // those a new package may be for
}

// SchedPackageRow is a package as the list shows it.
type SchedPackageRow struct {
	schedule.Package
	Service, Price string
}

func (s *Server) schedPackagesPage(r *http.Request, a *auth.Actor) (SchedPackagesPage, error) {
	p := SchedPackagesPage{SchedPage: schedPage(r, a, "packages", "Packages")}
	svcs, err := s.App.Services(r.Context(), a)
	if err != nil {
		return p, err
	}
	names := map[int64]string{}
	for _, sv := range svcs {
		names[sv.ID] = sv.Name
		if sv.Active {
			p.Services = append(p.Services, sv)
		}
	}
	pkgs, err := s.App.Packages(r.Context(), a)
	if err != nil {
		return p, err
	}
	for _, pk := range pkgs {
		row := SchedPackageRow{Package: pk, Service: "Any service", Price: app.Money(pk.PriceCents)}
		if pk.ServiceID != 0 {
			row.Service = names[pk.ServiceID]
		}
		p.Packages = append(p.Packages, row)
	}
	p.Form, p.Values = "package", url.Values{"sessions": {"10"}, "valid_days": {"365"}, "active": {"1"}}
	return p, nil
}

func (s *Server) schedPackages(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, err := s.schedPackagesPage(r, a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "scheduling_packages", p)
}

func (s *Server) schedPackageCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	v := r.PostForm
	f := errs.FieldErrors{}
	pk := schedule.Package{Name: v.Get("name"), Active: schedChecked(v, "active")}
	pk.ServiceID = schedFormID(f, v, "service_id", "Choose one of your services, or any service.")
	pk.Sessions = schedInt(f, v, "sessions", "Enter how many sessions, such as 10.")
	pk.PriceCents = schedDollarsField(f, v, "price", true)
	pk.ValidDays = schedInt(f, v, "valid_days", "Enter how many days it is valid, such as 365.")
	check := pk
	if err := check.Validate(); err != nil {
		schedAddFields(f, err, schedPriceField)
	}
	err := f.Err()
	if err == nil {
		err = schedRename(s.App.CreatePackage(r.Context(), a, &pk), schedPriceField)
	}
	if err == nil {
		http.Redirect(w, r, "/admin/scheduling/packages?added=1", http.StatusSeeOther)
		return
	}
	p, perr := s.schedPackagesPage(r, a)
	if perr != nil {
		s.fail(w, r, a, perr)
		return
	}
	if !p.sendBack("package", r, err) {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, errs.HTTPStatus(err), "scheduling_packages", p)
}

// schedPackageSale puts a package on sale (on_sale=1) or takes it off (0).
func (s *Server) schedPackageSale(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "package")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	on, err := schedOnOff(r.PostForm.Get("on_sale"), "Choose whether the package is on sale.")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := s.App.SetPackageActive(r.Context(), a, id, on); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/scheduling/packages?saved=1", http.StatusSeeOther)
}

// ---- rooms ----

// SchedRoomsPage is the data of scheduling_rooms.html: each location with its rooms.
type SchedRoomsPage struct {
	SchedPage
	Locations []SchedRoomsAt
}

// SchedRoomsAt is a location and its rooms.
type SchedRoomsAt struct {
	clinic.Location
	Zone  string
	Rooms []schedule.Room
}

// NewForm names the form that adds a room at the location.
func (l SchedRoomsAt) NewForm() string { return "room-new-" + strconv.FormatInt(l.ID, 10) }

// RoomForm names the form of room id.
func (SchedRoomsPage) RoomForm(id int64) string { return "room-" + strconv.FormatInt(id, 10) }

// has reports whether the page holds form, so its errors can be shown.
func (p SchedRoomsPage) has(form string) bool {
	for _, l := range p.Locations {
		if l.NewForm() == form {
			return true
		}
		for _, rm := range l.Rooms {
			if p.RoomForm(rm.ID) == form {
				return true
			}
		}
	}
	return false
}

func (s *Server) schedRoomsPage(r *http.Request, a *auth.Actor) (SchedRoomsPage, error) {
	p := SchedRoomsPage{SchedPage: schedPage(r, a, "rooms", "Rooms")}
	locs, err := s.App.Locations(r.Context(), a)
	if err != nil {
		return p, err
	}
	rooms, err := s.App.Rooms(r.Context(), a, 0)
	if err != nil {
		return p, err
	}
	for _, l := range locs {
		at := SchedRoomsAt{Location: l, Zone: schedZoneLabel(app.LocationZone(a.Org, &l), s.schedNow())}
		for _, rm := range rooms {
			if rm.LocationID == l.ID {
				at.Rooms = append(at.Rooms, rm)
			}
		}
		p.Locations = append(p.Locations, at)
	}
	return p, nil
}

func (s *Server) schedRooms(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, err := s.schedRoomsPage(r, a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "scheduling_rooms", p)
}

func (s *Server) schedRoomCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	f := errs.FieldErrors{}
	rm := schedule.Room{Name: r.PostForm.Get("name"), Active: true}
	rm.LocationID = schedFormID(f, r.PostForm, "location_id", "Choose the location the room is at.")
	err := f.Err()
	if err == nil {
		err = s.App.SaveRoom(r.Context(), a, &rm)
	}
	if err == nil {
		http.Redirect(w, r, "/admin/scheduling/rooms?added=1", http.StatusSeeOther)
		return
	}
	s.schedRoomsBack(w, r, a, "room-new-"+strconv.FormatInt(rm.LocationID, 10), err)
}

func (s *Server) schedRoomUpdate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "room")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	rooms, err := s.App.Rooms(r.Context(), a, 0)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	i := slices.IndexFunc(rooms, func(rm schedule.Room) bool { return rm.ID == id })
	if i < 0 {
		s.fail(w, r, a, errs.E(errs.NotFound, "There is no such room."))
		return
	}
	rm := rooms[i]
	rm.Name, rm.Active = r.PostForm.Get("name"), schedChecked(r.PostForm, "active")
	if err := s.App.SaveRoom(r.Context(), a, &rm); err != nil {
		s.schedRoomsBack(w, r, a, "room-"+strconv.FormatInt(id, 10), err)
		return
	}
	http.Redirect(w, r, "/admin/scheduling/rooms?saved=1", http.StatusSeeOther)
}

// schedRoomsBack shows the rooms page again with the errors of one of its forms.
func (s *Server) schedRoomsBack(w http.ResponseWriter, r *http.Request, a *auth.Actor, form string, err error) {
	p, perr := s.schedRoomsPage(r, a)
	if perr != nil {
		s.fail(w, r, a, perr)
		return
	}
	if !p.has(form) || !p.sendBack(form, r, err) {
		// A location or room that is not on the page came from outside it.
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, errs.HTTPStatus(err), "scheduling_rooms", p)
}
