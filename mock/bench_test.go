package mock

import (
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Benchmarks of the application-restricted grant: grants per second on the
// local platform with parallel clients (assertions signed before the timer
// starts), beside the raw RS512 verify rate on the same machine (the crypto
// ceiling of a grant) and the signing rate. Run:
//
//	go test -run x -bench . -benchtime 2s ./mock/

const benchPublicURL = "http://nhsauth.bench"

var benchKeySizes = []int{2048, 4096}

// benchKeyPool holds one key per size and the assertions signed with it so
// far. Every benchmark run starts a fresh platform (with an empty jti
// memory) at a fixed clock, so the assertions can be reused across runs and
// only the largest b.N is ever signed.
type benchKeyPool struct {
	once       sync.Once
	key        *rsa.PrivateKey
	err        error
	mu         sync.Mutex
	assertions []string
}

var benchPools sync.Map // bits -> *benchKeyPool

func benchPool(b *testing.B, bits int) *benchKeyPool {
	b.Helper()
	v, _ := benchPools.LoadOrStore(bits, &benchKeyPool{})
	p := v.(*benchKeyPool)
	p.once.Do(func() { p.key, p.err = rsa.GenerateKey(rand.Reader, bits) })
	if p.err != nil {
		b.Fatal(p.err)
	}
	return p
}

// signed returns n distinct assertions for the bench platform's token URL,
// signing the missing ones on every core.
func (p *benchKeyPool) signed(b *testing.B, n int) []string {
	b.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	need := n - len(p.assertions)
	if need <= 0 {
		return p.assertions[:n]
	}
	fresh := make([]string, need)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= need {
					return
				}
				c := jwt.MapClaims{
					"iss": DefaultAPIKey, "sub": DefaultAPIKey, "aud": benchPublicURL + "/oauth2/token",
					"jti": uuid.NewString(), "exp": ccClock.Add(240 * time.Second).Unix(),
				}
				tok := jwt.NewWithClaims(jwt.SigningMethodRS512, c)
				tok.Header["kid"] = ccKID
				s, err := tok.SignedString(p.key)
				if err != nil {
					failed.Store(err)
					return
				}
				fresh[i] = s
			}
		})
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
	p.assertions = append(p.assertions, fresh...)
	return p.assertions[:n]
}

// BenchmarkClientCredentialsGrant measures complete grants (form parsing,
// every §2.6 check, RS512 verification, token issue) with parallel clients:
// "rsaN" over HTTP against a real loopback listener (client and server share
// the cores), "rsaN-handler" calling the handler directly (the platform's own
// cost without the HTTP stack).
func BenchmarkClientCredentialsGrant(b *testing.B) {
	for _, bits := range benchKeySizes {
		for _, viaHTTP := range []bool{true, false} {
			name := "rsa" + strconv.Itoa(bits)
			if !viaHTTP {
				name += "-handler"
			}
			b.Run(name, func(b *testing.B) { benchGrants(b, bits, viaHTTP) })
		}
	}
}

// benchPlatform starts a platform publishing bits' pool key over HTTP and
// returns it with b.N distinct grant forms.
func benchPlatform(b *testing.B, bits int) (*Server, *httptest.Server, []string) {
	p := benchPool(b, bits)
	dir := b.TempDir()
	ccWriteFile(b, dir, ccKID+".json", ccJWKS(b, ccJWK{kid: ccKID, pub: &p.key.PublicKey}))
	srv := New(Options{KeysDir: dir, PublicURL: benchPublicURL, Now: func() time.Time { return ccClock }})
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)
	bodies := make([]string, b.N)
	for i, a := range p.signed(b, b.N) {
		bodies[i] = ccForm(a).Encode()
	}
	return srv, ts, bodies
}

func benchGrants(b *testing.B, bits int, viaHTTP bool) {
	srv, ts, bodies := benchPlatform(b, bits)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	grant := func(body string) int {
		if !viaHTTP {
			req := httptest.NewRequest(http.MethodPost, "/oauth2/token", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			return rec.Code
		}
		resp, err := hc.Post(ts.URL+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			b.Error(err)
			return 0
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	var next atomic.Int64
	if viaHTTP {
		b.SetParallelism(4) // clients per core: keeps the server busy while clients wait
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if status := grant(bodies[next.Add(1)-1]); status != http.StatusOK {
				b.Errorf("status %d", status)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "grants/s")
}

// BenchmarkRS512Verify is the raw verify rate of RS512 (SHA-512 and RSA
// PKCS#1 v1.5) with golang-jwt on every core: the ceiling of the grant rate.
func BenchmarkRS512Verify(b *testing.B) {
	for _, bits := range benchKeySizes {
		b.Run("rsa"+strconv.Itoa(bits), func(b *testing.B) {
			p := benchPool(b, bits)
			a := p.signed(b, 1)[0]
			i := strings.LastIndexByte(a, '.')
			sig, err := jwt.NewParser().DecodeSegment(a[i+1:])
			if err != nil {
				b.Fatal(err)
			}
			signing, pub := a[:i], &p.key.PublicKey
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := jwt.SigningMethodRS512.Verify(signing, sig, pub); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
		})
	}
}

// BenchmarkRS512Sign is the RS512 signing rate with golang-jwt on every
// core: what a client pays per assertion.
func BenchmarkRS512Sign(b *testing.B) {
	for _, bits := range benchKeySizes {
		b.Run("rsa"+strconv.Itoa(bits), func(b *testing.B) {
			p := benchPool(b, bits)
			signing := strings.Repeat("eyJhbGciOiJSUzUxMiJ9.", 4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := jwt.SigningMethodRS512.Sign(signing, p.key); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signs/s")
		})
	}
}

// BenchmarkGrants200Clients measures client-credentials grants per second
// with 200 concurrent HTTP clients against the in-process platform (issue
// 14's load: the hostile-input campaign measured 1,681 grants/s).
func BenchmarkGrants200Clients(b *testing.B) {
	const clients = 200
	_, ts, bodies := benchPlatform(b, 2048)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var next, failed atomic.Int64
	b.SetParallelism((clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := hc.Post(ts.URL+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(bodies[next.Add(1)-1]))
			if err != nil {
				failed.Add(1)
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				failed.Add(1)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "grants/s")
	b.ReportMetric(float64(failed.Load()), "errors")
}

// BenchmarkRefusedFlood floods the platform with refused requests (unsigned
// assertions with an unknown kid, each with a fresh jti, and authorise
// requests nobody completes) and reports the stores' sizes afterwards: the
// jti memory stays empty (only verified assertions enter it) and pending
// logins stop at the store limit (the rest are refused with 503).
func BenchmarkRefusedFlood(b *testing.B) {
	const limit = 1000
	srv := New(Options{KeysDir: ccKeysDir(b), StoreLimit: limit, Now: func() time.Time { return ccClock }})
	head := `{"alg":"RS512","typ":"JWT","kid":"not-published"}`
	auth := "/realms/" + RealmCIS2 + "/protocol/openid-connect/auth?" + saAuthParams(realmCIS2Def, MockRedirectURI).Encode()
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c := `{"iss":"` + DefaultAPIKey + `","sub":"` + DefaultAPIKey + `","jti":"flood-` + strconv.FormatInt(next.Add(1), 10) +
				`","aud":"http://example.com/oauth2/token","exp":` + strconv.FormatInt(ccClock.Unix()+60, 10) + `}`
			req := httptest.NewRequest(http.MethodPost, "/oauth2/token", strings.NewReader(ccForm(rawJWT(head, c, "c2ln")).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				b.Errorf("refused assertion: %d", rec.Code)
				return
			}
			rec = httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, auth, nil))
			if rec.Code != http.StatusOK && rec.Code != http.StatusServiceUnavailable {
				b.Errorf("authorise: %d", rec.Code)
				return
			}
		}
	})
	b.StopTimer()
	jtis, logins := srv.jtis.len(), srv.oidc.logins.len()
	if jtis != 0 || logins > limit {
		b.Errorf("after %d refused requests: %d jti entries, %d pending logins (limit %d)", b.N, jtis, logins, limit)
	}
	b.ReportMetric(float64(jtis), "jti-entries")
	b.ReportMetric(float64(logins), "pending-logins")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
}
