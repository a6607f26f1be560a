import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public class Main {
    public static void main(String[] args) throws IOException {
        Path p = Path.of("notes.txt");
        Files.write(p, List.of("alpha", "beta"));
        System.out.println(Files.readAllLines(p));
        System.out.println(Files.deleteIfExists(p));
    }
}
