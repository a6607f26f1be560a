#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
static void try(const char *ip, int port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval tv = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, ip, &a.sin_addr);
    if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0) printf("connected %s\n", ip);
    else printf("blocked %s\n", ip);
    if (s >= 0) close(s);
}
int main(void) { try("127.0.0.1", {{PORT}}); try("1.1.1.1", 53); try("8.8.8.8", 443); return 0; }
