package mock

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
)

// TestCodeTakenOnce: of many concurrent redemptions of one code, exactly one
// succeeds.
func TestCodeTakenOnce(t *testing.T) {
	e := newSAEnv(t)
	d := realmCIS2Def
	code := e.login(t, d, saAuthParams(d, MockRedirectURI), "656005750104").Query().Get("code")
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, _ := e.tokens(t, d, saCodeForm(d, code, MockRedirectURI)); status == http.StatusOK {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 {
		t.Errorf("%d redemptions succeeded, want 1", ok.Load())
	}
}

// TestConcurrentJourneys runs whole separate-authentication journeys in
// parallel (login, code, token exchange, refresh, API call) under -race.
func TestConcurrentJourneys(t *testing.T) {
	e := newSAEnv(t)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, user := realmCIS2Def, "656005750104"
			if i%2 == 1 {
				d, user = realmNHSLoginDef, "9912003071"
			}
			status, body := e.platform(t, "/oauth2-mock", e.exchangeForm(t, "/oauth2-mock", e.idToken(t, d, user)))
			if status != http.StatusOK {
				t.Errorf("exchange: %d %v", status, body)
				return
			}
			status, body = e.platform(t, "/oauth2-mock", saRefreshForm(body["refresh_token"].(string)))
			if status != http.StatusOK || body["refresh_count"] != "1" {
				t.Errorf("refresh: %d %v", status, body)
				return
			}
			if status, page := e.helloUser(t, body["access_token"].(string)); status != http.StatusOK {
				t.Errorf("hello: %d %s", status, page)
			}
		}()
	}
	wg.Wait()
}

// BenchmarkSeparateJourney measures complete separate-authentication
// journeys on the local platform: authorise, login by form, code exchange,
// token exchange.
func BenchmarkSeparateJourney(b *testing.B) {
	e := newSAEnv(b)
	d := realmCIS2Def
	b.ResetTimer()
	for b.Loop() {
		id := e.idToken(b, d, "656005750104")
		if status, body := e.platform(b, "/oauth2-mock", e.exchangeForm(b, "/oauth2-mock", id)); status != http.StatusOK {
			b.Fatalf("exchange: %d %v", status, body)
		}
	}
}
