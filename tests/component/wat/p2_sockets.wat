;; wasi:sockets without the preview1 adapter, for tests/wasi/p2_sockets_test.cpp: imports the
;; socket interfaces (and the wasi:io parts their streams and pollables need) and re-exports
;; each imported instance under a plain name, so the test calls the host's functions through a
;; real component instance with the types a guest imports them with.
(component
  (import "wasi:io/error@0.2.0" (instance $error (export "error" (type (sub resource)))))
  (alias export $error "error" (type $error_t))

  (type $poll_t (instance
    (export "pollable" (type $p (sub resource)))
    (export "[method]pollable.ready" (func (param "self" (borrow $p)) (result bool)))
    (export "[method]pollable.block" (func (param "self" (borrow $p))))
    (export "poll" (func (param "in" (list (borrow $p))) (result (list u32))))))
  (import "wasi:io/poll@0.2.0" (instance $poll (type $poll_t)))
  (alias export $poll "pollable" (type $pollable))

  (type $clock_t (instance
    (alias outer 1 $pollable (type $p))
    (export "pollable" (type $p2 (eq $p)))
    (export "subscribe-duration" (func (param "when" u64) (result (own $p2))))))
  (import "wasi:clocks/monotonic-clock@0.2.0" (instance $clock (type $clock_t)))

  (type $streams_t (instance
    (alias outer 1 $error_t (type $e))
    (export "error" (type $e2 (eq $e)))
    (alias outer 1 $pollable (type $p))
    (export "pollable" (type $p2 (eq $p)))
    (export "input-stream" (type $is (sub resource)))
    (export "output-stream" (type $os (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $e2)) (case "closed")))
    (export "stream-error" (type $se2 (eq $se)))
    (export "[method]input-stream.read"
      (func (param "self" (borrow $is)) (param "len" u64) (result (result (list u8) (error $se2)))))
    (export "[method]input-stream.blocking-read"
      (func (param "self" (borrow $is)) (param "len" u64) (result (result (list u8) (error $se2)))))
    (export "[method]input-stream.subscribe" (func (param "self" (borrow $is)) (result (own $p2))))
    (export "[method]output-stream.check-write"
      (func (param "self" (borrow $os)) (result (result u64 (error $se2)))))
    (export "[method]output-stream.write"
      (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result (error $se2)))))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result (error $se2)))))
    (export "[method]output-stream.flush" (func (param "self" (borrow $os)) (result (result (error $se2)))))
    (export "[method]output-stream.blocking-flush" (func (param "self" (borrow $os)) (result (result (error $se2)))))
    (export "[method]output-stream.subscribe" (func (param "self" (borrow $os)) (result (own $p2))))))
  (import "wasi:io/streams@0.2.0" (instance $streams (type $streams_t)))
  (alias export $streams "input-stream" (type $input_stream))
  (alias export $streams "output-stream" (type $output_stream))

  (type $network_t (instance
    (alias outer 1 $error_t (type $e))
    (export "error" (type $e2 (eq $e)))
    (export "network" (type $net (sub resource)))
    (type $ec (enum "unknown" "access-denied" "not-supported" "invalid-argument" "out-of-memory"
      "timeout" "concurrency-conflict" "not-in-progress" "would-block" "invalid-state"
      "new-socket-limit" "address-not-bindable" "address-in-use" "remote-unreachable"
      "connection-refused" "connection-reset" "connection-aborted" "datagram-too-large"
      "name-unresolvable" "temporary-resolver-failure" "permanent-resolver-failure"))
    (export "error-code" (type $ec2 (eq $ec)))
    (type $fam (enum "ipv4" "ipv6"))
    (export "ip-address-family" (type $fam2 (eq $fam)))
    (type $ip4 (tuple u8 u8 u8 u8))
    (export "ipv4-address" (type $ip4e (eq $ip4)))
    (type $ip6 (tuple u16 u16 u16 u16 u16 u16 u16 u16))
    (export "ipv6-address" (type $ip6e (eq $ip6)))
    (type $ipa (variant (case "ipv4" $ip4e) (case "ipv6" $ip6e)))
    (export "ip-address" (type $ipae (eq $ipa)))
    (type $s4 (record (field "port" u16) (field "address" $ip4e)))
    (export "ipv4-socket-address" (type $s4e (eq $s4)))
    (type $s6 (record (field "port" u16) (field "flow-info" u32) (field "address" $ip6e)
      (field "scope-id" u32)))
    (export "ipv6-socket-address" (type $s6e (eq $s6)))
    (type $sa (variant (case "ipv4" $s4e) (case "ipv6" $s6e)))
    (export "ip-socket-address" (type $sae (eq $sa)))
    (export "network-error-code" (func (param "err" (borrow $e2)) (result (option $ec2))))))
  (import "wasi:sockets/network@0.2.0" (instance $network (type $network_t)))
  (alias export $network "network" (type $network_res))
  (alias export $network "error-code" (type $error_code))
  (alias export $network "ip-address-family" (type $family))
  (alias export $network "ip-address" (type $ip_address))
  (alias export $network "ip-socket-address" (type $socket_address))

  (type $instance_network_t (instance
    (alias outer 1 $network_res (type $n))
    (export "network" (type $n2 (eq $n)))
    (export "instance-network" (func (result (own $n2))))))
  (import "wasi:sockets/instance-network@0.2.0" (instance $instance_network (type $instance_network_t)))

  (type $tcp_t (instance
    (alias outer 1 $network_res (type $n))
    (export "network" (type $net (eq $n)))
    (alias outer 1 $input_stream (type $i))
    (export "input-stream" (type $is (eq $i)))
    (alias outer 1 $output_stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (alias outer 1 $pollable (type $p))
    (export "pollable" (type $pl (eq $p)))
    (alias outer 1 $error_code (type $ec0))
    (export "error-code" (type $ec (eq $ec0)))
    (alias outer 1 $socket_address (type $sa0))
    (export "ip-socket-address" (type $sa (eq $sa0)))
    (alias outer 1 $family (type $f0))
    (export "ip-address-family" (type $fam (eq $f0)))
    (type $st (enum "receive" "send" "both"))
    (export "shutdown-type" (type $st2 (eq $st)))
    (export "tcp-socket" (type $s (sub resource)))
    (export "[method]tcp-socket.start-bind"
      (func (param "self" (borrow $s)) (param "network" (borrow $net)) (param "local-address" $sa)
        (result (result (error $ec)))))
    (export "[method]tcp-socket.finish-bind" (func (param "self" (borrow $s)) (result (result (error $ec)))))
    (export "[method]tcp-socket.start-connect"
      (func (param "self" (borrow $s)) (param "network" (borrow $net)) (param "remote-address" $sa)
        (result (result (error $ec)))))
    (export "[method]tcp-socket.finish-connect"
      (func (param "self" (borrow $s)) (result (result (tuple (own $is) (own $os)) (error $ec)))))
    (export "[method]tcp-socket.start-listen" (func (param "self" (borrow $s)) (result (result (error $ec)))))
    (export "[method]tcp-socket.finish-listen" (func (param "self" (borrow $s)) (result (result (error $ec)))))
    (export "[method]tcp-socket.accept"
      (func (param "self" (borrow $s)) (result (result (tuple (own $s) (own $is) (own $os)) (error $ec)))))
    (export "[method]tcp-socket.local-address" (func (param "self" (borrow $s)) (result (result $sa (error $ec)))))
    (export "[method]tcp-socket.remote-address" (func (param "self" (borrow $s)) (result (result $sa (error $ec)))))
    (export "[method]tcp-socket.is-listening" (func (param "self" (borrow $s)) (result bool)))
    (export "[method]tcp-socket.address-family" (func (param "self" (borrow $s)) (result $fam)))
    (export "[method]tcp-socket.set-listen-backlog-size"
      (func (param "self" (borrow $s)) (param "value" u64) (result (result (error $ec)))))
    (export "[method]tcp-socket.keep-alive-enabled" (func (param "self" (borrow $s)) (result (result bool (error $ec)))))
    (export "[method]tcp-socket.set-keep-alive-enabled"
      (func (param "self" (borrow $s)) (param "value" bool) (result (result (error $ec)))))
    (export "[method]tcp-socket.keep-alive-idle-time" (func (param "self" (borrow $s)) (result (result u64 (error $ec)))))
    (export "[method]tcp-socket.set-keep-alive-idle-time"
      (func (param "self" (borrow $s)) (param "value" u64) (result (result (error $ec)))))
    (export "[method]tcp-socket.hop-limit" (func (param "self" (borrow $s)) (result (result u8 (error $ec)))))
    (export "[method]tcp-socket.set-hop-limit"
      (func (param "self" (borrow $s)) (param "value" u8) (result (result (error $ec)))))
    (export "[method]tcp-socket.receive-buffer-size" (func (param "self" (borrow $s)) (result (result u64 (error $ec)))))
    (export "[method]tcp-socket.set-receive-buffer-size"
      (func (param "self" (borrow $s)) (param "value" u64) (result (result (error $ec)))))
    (export "[method]tcp-socket.subscribe" (func (param "self" (borrow $s)) (result (own $pl))))
    (export "[method]tcp-socket.shutdown"
      (func (param "self" (borrow $s)) (param "shutdown-type" $st2) (result (result (error $ec)))))))
  (import "wasi:sockets/tcp@0.2.0" (instance $tcp (type $tcp_t)))
  (alias export $tcp "tcp-socket" (type $tcp_socket))

  (type $tcp_create_t (instance
    (alias outer 1 $tcp_socket (type $t))
    (export "tcp-socket" (type $s (eq $t)))
    (alias outer 1 $error_code (type $ec0))
    (export "error-code" (type $ec (eq $ec0)))
    (alias outer 1 $family (type $f0))
    (export "ip-address-family" (type $fam (eq $f0)))
    (export "create-tcp-socket" (func (param "address-family" $fam) (result (result (own $s) (error $ec)))))))
  (import "wasi:sockets/tcp-create-socket@0.2.0" (instance $tcp_create (type $tcp_create_t)))

  (type $udp_t (instance
    (alias outer 1 $network_res (type $n))
    (export "network" (type $net (eq $n)))
    (alias outer 1 $pollable (type $p))
    (export "pollable" (type $pl (eq $p)))
    (alias outer 1 $error_code (type $ec0))
    (export "error-code" (type $ec (eq $ec0)))
    (alias outer 1 $socket_address (type $sa0))
    (export "ip-socket-address" (type $sa (eq $sa0)))
    (type $in (record (field "data" (list u8)) (field "remote-address" $sa)))
    (export "incoming-datagram" (type $in2 (eq $in)))
    (type $out (record (field "data" (list u8)) (field "remote-address" (option $sa))))
    (export "outgoing-datagram" (type $out2 (eq $out)))
    (export "udp-socket" (type $s (sub resource)))
    (export "incoming-datagram-stream" (type $ids (sub resource)))
    (export "outgoing-datagram-stream" (type $ods (sub resource)))
    (export "[method]udp-socket.start-bind"
      (func (param "self" (borrow $s)) (param "network" (borrow $net)) (param "local-address" $sa)
        (result (result (error $ec)))))
    (export "[method]udp-socket.finish-bind" (func (param "self" (borrow $s)) (result (result (error $ec)))))
    (export "[method]udp-socket.stream"
      (func (param "self" (borrow $s)) (param "remote-address" (option $sa))
        (result (result (tuple (own $ids) (own $ods)) (error $ec)))))
    (export "[method]udp-socket.local-address" (func (param "self" (borrow $s)) (result (result $sa (error $ec)))))
    (export "[method]udp-socket.remote-address" (func (param "self" (borrow $s)) (result (result $sa (error $ec)))))
    (export "[method]udp-socket.subscribe" (func (param "self" (borrow $s)) (result (own $pl))))
    (export "[method]incoming-datagram-stream.receive"
      (func (param "self" (borrow $ids)) (param "max-results" u64) (result (result (list $in2) (error $ec)))))
    (export "[method]incoming-datagram-stream.subscribe" (func (param "self" (borrow $ids)) (result (own $pl))))
    (export "[method]outgoing-datagram-stream.check-send" (func (param "self" (borrow $ods)) (result (result u64 (error $ec)))))
    (export "[method]outgoing-datagram-stream.send"
      (func (param "self" (borrow $ods)) (param "datagrams" (list $out2)) (result (result u64 (error $ec)))))
    (export "[method]outgoing-datagram-stream.subscribe" (func (param "self" (borrow $ods)) (result (own $pl))))))
  (import "wasi:sockets/udp@0.2.0" (instance $udp (type $udp_t)))
  (alias export $udp "udp-socket" (type $udp_socket))

  (type $udp_create_t (instance
    (alias outer 1 $udp_socket (type $t))
    (export "udp-socket" (type $s (eq $t)))
    (alias outer 1 $error_code (type $ec0))
    (export "error-code" (type $ec (eq $ec0)))
    (alias outer 1 $family (type $f0))
    (export "ip-address-family" (type $fam (eq $f0)))
    (export "create-udp-socket" (func (param "address-family" $fam) (result (result (own $s) (error $ec)))))))
  (import "wasi:sockets/udp-create-socket@0.2.0" (instance $udp_create (type $udp_create_t)))

  (type $lookup_t (instance
    (alias outer 1 $network_res (type $n))
    (export "network" (type $net (eq $n)))
    (alias outer 1 $pollable (type $p))
    (export "pollable" (type $pl (eq $p)))
    (alias outer 1 $error_code (type $ec0))
    (export "error-code" (type $ec (eq $ec0)))
    (alias outer 1 $ip_address (type $ip0))
    (export "ip-address" (type $ip (eq $ip0)))
    (export "resolve-address-stream" (type $ras (sub resource)))
    (export "resolve-addresses"
      (func (param "network" (borrow $net)) (param "name" string) (result (result (own $ras) (error $ec)))))
    (export "[method]resolve-address-stream.resolve-next-address"
      (func (param "self" (borrow $ras)) (result (result (option $ip) (error $ec)))))
    (export "[method]resolve-address-stream.subscribe" (func (param "self" (borrow $ras)) (result (own $pl))))))
  (import "wasi:sockets/ip-name-lookup@0.2.0" (instance $lookup (type $lookup_t)))

  (export "poll" (instance $poll))
  (export "monotonic-clock" (instance $clock))
  (export "streams" (instance $streams))
  (export "network" (instance $network))
  (export "instance-network" (instance $instance_network))
  (export "tcp" (instance $tcp))
  (export "tcp-create-socket" (instance $tcp_create))
  (export "udp" (instance $udp))
  (export "udp-create-socket" (instance $udp_create))
  (export "ip-name-lookup" (instance $lookup)))
