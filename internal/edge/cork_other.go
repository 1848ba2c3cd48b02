//go:build !linux

package edge

import "net"

// setCork: TCP_CORK is Linux's; elsewhere responses are not corked.
func setCork(*net.TCPConn, bool) bool { return false }
