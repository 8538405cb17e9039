// Validates XML files against a W3C XML Schema with the JDK's own
// validator; run as a single-file program: java XsdCheck.java SCHEMA FILE...
// Prints every problem as file:line:column: message and exits 1 if any.

import java.io.File;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

public class XsdCheck {
    public static void main(String[] args) throws Exception {
        var factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        var schema = factory.newSchema(new File(args[0]));
        int[] problems = {0};
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            Validator v = schema.newValidator();
            v.setErrorHandler(new ErrorHandler() {
                void report(SAXParseException e) {
                    problems[0]++;
                    System.out.println(name + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
                }
                public void warning(SAXParseException e) {}
                public void error(SAXParseException e) { report(e); }
                public void fatalError(SAXParseException e) { report(e); }
            });
            try {
                v.validate(new StreamSource(new File(name)));
            } catch (SAXParseException e) {
                // Already reported through the handler.
            }
        }
        System.exit(problems[0] == 0 ? 0 : 1);
    }
}
