package main

import (
	"github.com/spf13/pflag"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/flows"
	"github.com/nhsauth/nhsauth/steps"
)

// TestClientAuthFlag checks --client-auth against the one definition of
// the methods: its help lists the realm's methods, the short spellings
// "post" and "basic" are read in full, and anything else is refused with
// the methods it could be.
func TestClientAuthFlag(t *testing.T) {
	realm := steps.JoinAuthMethods(flows.RealmAuthMethods())
	if realm != "client_secret_post or client_secret_basic" {
		t.Fatalf("realm methods = %q", realm)
	}
	for _, tt := range []struct {
		arg, want, wantErr string
	}{
		{arg: "client_secret_post", want: "client_secret_post"},
		{arg: "client_secret_basic", want: "client_secret_basic"},
		{arg: "post", want: "client_secret_post"},
		{arg: "basic", want: "client_secret_basic"},
		{arg: "private_key_jwt", wantErr: `--client-auth "private_key_jwt" is not supported: use ` + realm},
		{arg: "client_secret_jwt", wantErr: "is not supported"},
		{arg: "", wantErr: "is not supported"},
	} {
		t.Run(tt.arg, func(t *testing.T) {
			fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
			o := addJourneyFlags(fs, "local")
			if !strings.HasSuffix(fs.Lookup("client-auth").Usage, ": "+realm) || fs.Lookup("client-auth").DefValue != "client_secret_post" {
				t.Errorf("flag = %+v", fs.Lookup("client-auth"))
			}
			if err := fs.Parse([]string{"--client-auth", tt.arg}); err != nil {
				t.Fatal(err)
			}
			err := o.check("local", false)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || string(o.clientAuth) != tt.want {
				t.Errorf("check: %v, method %q, want %q", err, o.clientAuth, tt.want)
			}
		})
	}
}
