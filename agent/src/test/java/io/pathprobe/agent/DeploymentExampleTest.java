package io.pathprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The Kubernetes example runs the schedule it ships: its ConfigMap is a schedule the agent reads as written. */
class DeploymentExampleTest {
    @Test
    @SuppressWarnings("unchecked")
    void theDaemonSetsScheduleIsOneTheAgentRunsAndItsPortsAgree() throws Exception {
        String text = Files.readString(Path.of("..", "deploy", "kubernetes", "daemonset.yaml"));
        List<Map<String, Object>> docs = new ArrayList<>();
        new Yaml().loadAll(text).forEach(d -> docs.add((Map<String, Object>) d));
        Map<String, Object> configMap = docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst()
                .orElseThrow();
        String schedule = ((Map<String, String>) configMap.get("data")).get("agent.yaml");
        AgentConfig config = AgentConfig.parse(schedule, "daemonset.yaml agent.yaml");
        assertThat(config.jobs()).isNotEmpty();

        Map<String, Object> daemonSet = docs.stream().filter(d -> "DaemonSet".equals(d.get("kind"))).findFirst()
                .orElseThrow();
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) daemonSet
                .get("spec")).get("template")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertThat((List<String>) container.get("args")).containsExactly("agent", "--config",
                "/etc/pathprobe/agent.yaml");
        int port = (Integer) ((List<Map<String, Object>>) container.get("ports")).get(0).get("containerPort");
        assertThat(config.metrics()).hasValueSatisfying(m -> assertThat(m.port()).isEqualTo(port));
        // the default host is loopback, which no scraper outside the pod reaches: the example names it
        assertThat(schedule).contains("host: 0.0.0.0");
        assertThat(config.metrics()).hasValueSatisfying(m -> assertThat(m.host()).isEqualTo("0.0.0.0"));
        Map<String, Object> capabilities = (Map<String, Object>) ((Map<String, Object>) container
                .get("securityContext")).get("capabilities");
        assertThat((List<String>) capabilities.get("drop")).containsExactly("ALL");
        assertThat(capabilities).doesNotContainKey("add"); // the default transports need no capability
    }
}
