module edgex-ts.local/edgex-dto

go 1.25.0

require (
	github.com/edgexfoundry/go-mod-core-contracts/v3 v3.1.0
	github.com/edgexfoundry/go-mod-core-contracts/v4 v4.0.3
	github.com/edgexfoundry/go-mod-messaging/v4 v4.0.3
	github.com/fxamacker/cbor/v2 v2.9.2
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/gabriel-vasile/mimetype v1.4.13 // indirect
	github.com/go-playground/locales v0.14.1 // indirect
	github.com/go-playground/universal-translator v0.18.1 // indirect
	github.com/go-playground/validator/v10 v10.30.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/leodido/go-urn v1.4.0 // indirect
	github.com/x448/float16 v0.8.4 // indirect
	golang.org/x/crypto v0.49.0 // indirect
	golang.org/x/sys v0.42.0 // indirect
	golang.org/x/text v0.35.0 // indirect
)
