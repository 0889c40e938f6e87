import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.r5.utils.validation.constants.ReferenceValidationPolicy;
import org.hl7.fhir.utilities.ByteProvider;
import org.hl7.fhir.utilities.FhirPublication;
import org.hl7.fhir.utilities.TimeTracker;
import org.hl7.fhir.utilities.UserDataNames;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidationEngine;
import org.hl7.fhir.validation.ValidationRecord;
import org.hl7.fhir.validation.instance.advisor.BasePolicyAdvisorForFullValidation;
import org.hl7.fhir.validation.service.StandAloneValidatorFetcher;
import org.hl7.fhir.r5.utils.validation.IResourceValidator;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.validation.service.model.InstanceValidatorParameters;

/**
 * The HL7 Java validator as a batch oracle for ads-fhir's differential tests (tools/oracle).
 *
 * The validator's command-line module is not served by the Maven registry this project reaches, so this
 * small driver sets the validation library up the way its `validate` command does with
 * `-version 4.0.1 -tx n/a -ig ...` (no terminology server, default reference policy: references outside the
 * instance are not followed; best-practice recommendations off, as in the HL7 suite's runner), then validates each file named on standard input, one per line, each on its own
 * (no file sees another), and writes one JSON line per file to standard output. The JVM starts once.
 *
 * usage: java -Duser.home=HOME -cp CLASSES:LIB/* OracleRunner --tho VER --extensions VER [--ig pkg#ver]... < paths
 * Output: a first line {"ready":true,"startupMs":N}, then per file
 * {"file":..,"ms":N,"issues":[{"severity","code","expression","line","col","messageId","text"}]} or {"file":..,"crash":".."}.
 * Progress and the library's log go to standard error.
 */
public class OracleRunner {
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    String tho = null;
    String extensions = null;
    List<String> igs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tho": tho = args[++i]; break;
        case "--extensions": extensions = args[++i]; break;
        case "--ig": igs.add(args[++i]); break;
        // No web access at all: the package manager otherwise asks package servers for "latest" versions while
        // validating StructureDefinitions, and each refused request is retried with sleeps (minutes per file).
        case "--no-web": org.hl7.fhir.utilities.http.ManagedWebAccess.setAccessPolicy(org.hl7.fhir.utilities.http.ManagedWebAccess.WebAccessPolicy.PROHIBITED); break;
        default: throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    // Standard output carries only the JSON lines: the library's console logging goes to standard error.
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);

    ValidationEngine engine = new ValidationEngine.ValidationEngineBuilder()
        .withVersion("4.0")
        .withTimeTracker(new TimeTracker())
        .withUserAgent("ads-fhir-oracle")
        .withThoVersion(tho)
        .withExtensionsVersion(extensions)
        .fromSource("hl7.fhir.r4.core#4.0.1");
    // -tx n/a: no terminology server; the validator says so where a code cannot be checked.
    engine.setTerminologyServer(null, null, FhirPublication.R4, false);
    for (String ig : igs) {
      engine.getIgLoader().loadIg(engine.getIgs(), engine.getBinaries(), ig, false);
    }
    // The command line's default fetcher and policy: references are not followed (no -check-references).
    // URLs in uri/url/canonical values resolve as the HL7 suite's runner resolves them (every URL except
    // example.org ones and http://hl7.org/fhir/invalid...): the suite's expected outcomes, which ads-fhir is
    // scored on, never carry Type_Specific_Checks_DT_URL_Resolve for a URL that no loaded package defines.
    StandAloneValidatorFetcher fetcher = new StandAloneValidatorFetcher(engine.getPcm(), engine.getContext(), engine) {
      @Override
      public boolean resolveURL(IResourceValidator validator, Object appContext, String path, String url,
          IWorkerContext.VersionResolutionRules rules, String type, boolean canonical, List<CanonicalType> targets) {
        return !url.contains("example.org") && !url.startsWith("http://hl7.org/fhir/invalid");
      }
    };
    engine.setFetcher(fetcher);
    engine.getContext().setLocator(fetcher);
    engine.setPolicyAdvisor(fetcher);
    fetcher.setReferencePolicy(ReferenceValidationPolicy.IGNORE);
    engine.getPolicyAdvisor().setPolicyAdvisor(new BasePolicyAdvisorForFullValidation(fetcher.getReferencePolicy(), engine.getCheckReferencesTo()));
    engine.prepare();

    JsonObject ready = new JsonObject();
    ready.addProperty("ready", true);
    ready.addProperty("startupMs", (System.nanoTime() - t0) / 1_000_000);
    out.println(ready);

    // As the HL7 suite's own runner does (the scoring rules ads-fhir follows): best-practice recommendations
    // (dom-6 narrative, "observations should have a subject", ...) are not reported, example URLs are allowed.
    InstanceValidatorParameters params = engine.getDefaultInstanceValidatorParameters()
        .setBestPracticeLevel(BestPracticeWarningLevel.Ignore)
        .setAllowExampleUrls(true);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String path;
    while ((path = in.readLine()) != null) {
      path = path.trim();
      if (path.isEmpty()) continue;
      JsonObject line = new JsonObject();
      line.addProperty("file", path);
      long start = System.nanoTime();
      try {
        byte[] bytes = Files.readAllBytes(new File(path).toPath());
        FhirFormat format = path.endsWith(".xml") ? FhirFormat.XML : FhirFormat.JSON;
        List<ValidationRecord> records = new ArrayList<>();
        OperationOutcome oo = engine.validate(path, ByteProvider.forBytes(bytes), format, params, records);
        line.addProperty("ms", (System.nanoTime() - start) / 1_000_000.0);
        line.add("issues", issues(oo));
      } catch (Throwable e) {
        line.addProperty("ms", (System.nanoTime() - start) / 1_000_000.0);
        line.addProperty("crash", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      out.println(line);
    }
    out.flush();
    System.exit(0);
  }

  private static JsonArray issues(OperationOutcome oo) {
    JsonArray list = new JsonArray();
    for (OperationOutcomeIssueComponent issue : oo.getIssue()) {
      JsonObject o = new JsonObject();
      o.addProperty("severity", issue.getSeverity() == null ? "information" : issue.getSeverity().toCode());
      o.addProperty("code", issue.getCode() == null ? null : issue.getCode().toCode());
      o.addProperty("expression", issue.hasExpression() ? issue.getExpression().get(0).getValue() : "");
      o.addProperty("text", issue.getDetails() == null ? "" : issue.getDetails().getText());
      Object vm = issue.getUserData(UserDataNames.validator_source_vm);
      if (vm instanceof ValidationMessage) {
        ValidationMessage m = (ValidationMessage) vm;
        o.addProperty("messageId", m.getMessageId());
        o.addProperty("line", m.getLine());
        o.addProperty("col", m.getCol());
        if (m.getServer() != null) o.addProperty("server", m.getServer());
      }
      list.add(o);
    }
    return list;
  }
}
