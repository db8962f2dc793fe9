package rebillytest

import _ "embed" // for the go:embed directive below

// The fake validates requests against the repository's openapi.yaml. go:embed cannot reach a
// parent directory, so the package keeps a byte-for-byte copy beside this file; CI runs
// go generate and fails when the copy differs from ../openapi.yaml.
//go:generate cp ../openapi.yaml openapi.yaml

// specYAML is the embedded copy of ../openapi.yaml. It is a string, so it cannot be changed.
//
//go:embed openapi.yaml
var specYAML string
