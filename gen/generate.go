// Package gen holds the types and HTTP transport that oapi-codegen generates from the
// repository's openapi.yaml. It is an implementation detail of the SDK: import the root
// package and its payoutrequests and payouts packages instead.
//
// Nothing here is edited by hand. The generator is pinned in the separate tools module
// (tools/go.mod), so programs that import the SDK never inherit it.
package gen

//go:generate go tool -modfile=../tools/go.mod oapi-codegen -config oapi-codegen.yaml ../openapi.yaml
