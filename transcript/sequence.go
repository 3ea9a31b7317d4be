package transcript

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// Actor is one lifeline of a flow's sequence diagram: who sends or receives
// an exchange, as the NHS England pages draw their authentication patterns
// (https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation).
type Actor int

// The actors, in the order their lifelines are drawn, left to right.
const (
	ActorYou      Actor = iota // the user and their browser
	ActorApp                   // nhsauth, playing the app
	ActorPlatform              // NHS England's API platform (APIM)
	ActorIdP                   // CIS2, NHS login, or the local CIS2
	ActorAPI                   // the API the token is for
	numActors
)

// Short is the actor's abbreviated name, for lifelines at 80 columns and
// for the Mermaid alias.
func (a Actor) Short() string {
	return [...]string{"You", "App", "APIM", "IdP", "API"}[a]
}

// ArrowState is where an arrow of the sequence stands.
type ArrowState int

// The arrow states: a step not run yet has only pending arrows.
const (
	ArrowPending ArrowState = iota
	ArrowCurrent            // it belongs to the selected (or running) step
	ArrowDone
	ArrowFailed
)

// Arrow is one message of the sequence: a request (Method and Path), its
// reply (Status, and Redirect when it is a 3xx hop), or something the app
// built itself (Note; From and To are then both the app, unless it is a URL
// handed to the browser).
type Arrow struct {
	From, To Actor
	Reply    bool
	Method   string // "POST"
	Path     string // "/oauth2/token": no query, which may hold secrets
	Status   int    // the reply's status; 0 for a request or no reply
	Redirect string // the Location's path of a 3xx reply
	Note     string // a local record's title, or why no reply came
	State    ArrowState
}

// Self reports whether the arrow starts and ends on one lifeline.
func (a Arrow) Self() bool { return a.From == a.To }

// Label is the arrow's text: "POST /oauth2/token", "302 → /callback",
// "200 OK", or the note of a local record.
func (a Arrow) Label() string {
	switch {
	case a.Reply && a.Status == 0:
		return "no response: " + a.Note
	case a.Reply && a.Redirect != "":
		return fmt.Sprintf("%d → %s", a.Status, a.Redirect)
	case a.Reply:
		return fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status))
	case a.Method == "":
		return a.Note
	}
	return a.Method + " " + a.Path
}

// SequenceStep is one step of the flow as the sequence shows it: its number
// (1-based), title, status and arrows in the order they went over the wire.
type SequenceStep struct {
	Number  int
	Title   string
	Status  flows.Status
	Current bool
	Arrows  []Arrow
}

// Sequence is a journey drawn as a sequence diagram, as NHS England's
// pages teach the patterns (for example the CIS2 combined authentication
// diagram at https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation):
// the lifelines the flow involves and, step by step, an arrow per request
// and per reply (UML 2.5 §17.8 messages: solid for a call, dashed for its
// reply).
type Sequence struct {
	Actors []Actor          // the lifelines, left to right
	Names  map[Actor]string // each lifeline's full name
	Steps  []SequenceStep   // every step of the flow, run or not
	idx    map[Actor]int    // an actor's position in Actors
}

// SequenceOf draws r's journey as it stands; current is the selected (or
// running) step, whose arrows are highlighted, or -1.
func SequenceOf(r *flows.Runner, current int) Sequence {
	var red *steps.Redactor
	if r.Journey != nil {
		red = r.Journey.Redact
	}
	return sequenceWith(r, current, red)
}

// sequenceWith is SequenceOf with its labels masked by red (an export's
// Redactor, which may differ from the journey's).
func sequenceWith(r *flows.Runner, current int, red *steps.Redactor) Sequence {
	results := make([]flows.Result, r.Len())
	for i := range results {
		results[i] = r.Result(i)
	}
	env := ""
	if r.Journey != nil {
		env = r.Journey.Env.Name
	}
	return NewSequence(r.Flow, env, results, current, red)
}

// NewSequence draws a flow's results (one per step, in order) in the
// environment env as a sequence; current is the highlighted step or -1.
// Paths are neutralised and carry no query, so nothing secret is shown;
// a failure's reason is masked with red (nil masks by pattern only).
func NewSequence(f *flows.Flow, env string, results []flows.Result, current int, red *steps.Redactor) Sequence {
	involved := map[Actor]bool{ActorApp: true}
	s := Sequence{Names: actorNames(f.ID, env)}
	for i, st := range f.Steps {
		ss := SequenceStep{Number: i + 1, Title: Line(st.Title), Current: i == current}
		for _, a := range stepActors[st.ID] {
			involved[a] = true
		}
		if st.Wait == flows.WaitBrowser {
			involved[ActorYou] = true
		}
		if i < len(results) {
			ss.Status = results[i].Status
			ss.Arrows = stepArrows(st, results[i], i == current, red)
		}
		for _, a := range ss.Arrows {
			involved[a.From], involved[a.To] = true, true
		}
		s.Steps = append(s.Steps, ss)
	}
	s.idx = map[Actor]int{}
	for a := range numActors {
		if involved[a] {
			s.idx[a] = len(s.Actors)
			s.Actors = append(s.Actors, a)
		}
	}
	return s
}

// Lane is the position of a's lifeline among s.Actors.
func (s Sequence) Lane(a Actor) int { return s.idx[a] }

// stepArrows is one step's exchanges as arrows: a request and a reply for
// each round trip, one arrow for a local record. A round trip recorded
// twice in a row (the browser's redirect and the listener's record of it)
// is drawn once. In a failed step, the replies that failed (no response,
// 4xx or 5xx) are marked; when none did, a failed mark on the app's
// lifeline says why (masked with red).
func stepArrows(st flows.Step, res flows.Result, current bool, red *steps.Redactor) []Arrow {
	state := ArrowDone
	switch {
	case res.Status == flows.StatusPending:
		state = ArrowPending
	case current:
		state = ArrowCurrent
	}
	failed := res.Status == flows.StatusFailed
	var out []Arrow
	marked := false
	for k, ex := range res.Outcome.Exchanges {
		if k > 0 && sameRoundTrip(res.Outcome.Exchanges[k-1], ex) {
			continue
		}
		arrows := exchangeArrows(st, ex)
		for n := range arrows {
			arrows[n].State = state
		}
		if last := &arrows[len(arrows)-1]; failed && last.Reply && (last.Status == 0 || last.Status >= 400) {
			last.State, marked = ArrowFailed, true
		}
		out = append(out, arrows...)
	}
	if failed && !marked {
		// Nothing on the wire failed: the app's own check did (a JWKS that
		// does not hold the key, an ID token refused).
		why := "failed"
		if res.Outcome.Err != nil {
			why, _, _ = strings.Cut(stripPrefixes(res.Outcome.Err.Error()), "\n")
		}
		out = append(out, Arrow{From: ActorApp, To: ActorApp, Note: red.String(Line(why)), State: ArrowFailed})
	}
	return out
}

func sameRoundTrip(a, b steps.Exchange) bool {
	return !a.Synthetic && !b.Synthetic && a.Method == b.Method && a.URL == b.URL && a.Status == b.Status
}

// exchangeArrows maps one exchange to its arrows.
func exchangeArrows(st flows.Step, ex steps.Exchange) []Arrow {
	u, _ := url.Parse(ex.URL)
	if u == nil {
		u = &url.URL{}
	}
	if ex.Synthetic {
		a := Arrow{From: ActorApp, To: ActorApp, Note: Line(ex.Title)}
		if ex.URL != "" {
			a.To = ActorYou // an authorise URL, handed to the browser
		}
		return []Arrow{a}
	}
	to := actorAt(u)
	from := senderTo(st, u, to)
	req := Arrow{From: from, To: to, Method: Line(ex.Method), Path: pathOf(u)}
	reply := Arrow{From: to, To: from, Reply: true, Status: ex.Status}
	switch {
	case ex.Status == 0:
		reply.Note = "no response"
		if ex.Err != nil {
			reply.Note = Line(stripPrefixes(ex.Err.Error()))
		}
	case ex.Status/100 == 3:
		if loc, err := u.Parse(ex.RespHeader.Get("Location")); err == nil && loc.String() != "" {
			reply.Redirect = pathOf(loc)
		}
	}
	return []Arrow{req, reply}
}

// pathOf is a URL's path alone, neutralised: a query or fragment may hold
// a code, a state or a token.
func pathOf(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	return Line(u.Path)
}
