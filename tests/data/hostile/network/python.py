import socket
for host, port in [('127.0.0.1', {{PORT}}), ('1.1.1.1', 53), ('8.8.8.8', 443)]:
    try:
        socket.create_connection((host, port), timeout=1).close()
        print('connected', host)
    except OSError:
        print('blocked', host)
