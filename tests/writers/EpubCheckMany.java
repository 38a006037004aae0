// EPUBCheck over several books in one JVM (tests/writers/conftest.py's epubcheck_reports):
// its command line checks one book per run, and a run's start (the JVM, the schemas) costs
// about five CPU seconds, a book then about a tenth of that. Each pair of arguments is a book
// and the JSON report to write, made by EPUBCheck's own command-line tool, with usage messages
// (-u), exactly as `java -jar epubcheck.jar BOOK -u --json REPORT` would make it.
public class EpubCheckMany {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {args[i], "-u", "--json", args[i + 1]});
        }
    }
}
