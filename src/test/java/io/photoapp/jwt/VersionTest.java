package io.photoapp.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.photoapp.jwt.cli.VersionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** One version everywhere: pom.xml, the chart's version and appVersion, the image tags and --version. */
class VersionTest {
  static String version;
  static Document pom;

  @BeforeAll
  static void readPom() throws Exception {
    pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    version = child(pom.getDocumentElement(), "version");
    assertThat(version).as("pom.xml <version>").matches("\\d+\\.\\d+\\.\\d+");
  }

  static String child(Element element, String name) {
    NodeList children = element.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    return null;
  }

  @Test
  void theChartsVersionAndAppVersionAreThePomsVersion() throws IOException {
    JsonNode chart = new ObjectMapper(new YAMLFactory()).readTree(Path.of("helm/jwt-secret-operator/Chart.yaml").toFile());
    assertThat(chart.path("appVersion").asText()).as("Chart.yaml appVersion (the default image tag)").isEqualTo(version);
    assertThat(chart.path("version").asText()).as("Chart.yaml version").isEqualTo(version);
  }

  @Test
  void theVersionTheBuildWritesForVersionIsThePomsVersion() {
    // VersionOptionTest holds --version to VersionProvider.
    assertThat(VersionProvider.version()).isEqualTo(version);
  }

  @Test
  void theImageTheBuildTagsIsTheProjectVersion() {
    // The image profile names the image it writes (image/build.sh): its tag is the version.
    NodeList names = pom.getElementsByTagName("image.name");
    List<String> tagged = new ArrayList<>();
    for (int i = 0; i < names.getLength(); i++) {
      String image = names.item(i).getTextContent().trim();
      if (image.contains("jwt-secret-operator:")) {
        tagged.add(image);
        assertThat(image.substring(image.lastIndexOf(':') + 1)).as(image).isIn("${project.version}", version);
      }
    }
    assertThat(tagged).as("the image profile names its image").isNotEmpty();
  }

  @Test
  void everyImageTagTheDocsAndBuildFilesNameIsTheVersion() throws IOException {
    Pattern tag = Pattern.compile("photoapp/jwt-secret-operator:(\\d+\\.\\d+\\.\\d+[^\\s\"'`]*)");
    List<String> wrong = new ArrayList<>();
    for (Path file : List.of(Path.of("README.md"), Path.of("gitops/flux/helmrelease.yaml"))) {
      if (Files.exists(file)) {
        Matcher m = tag.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group(1).equals(version)) {
            wrong.add(file + ": " + m.group());
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }
}
