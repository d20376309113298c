import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../src/resources/aws/cloudformation/template.js";

const YAML = `
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MaxSize: !Ref MaxSize
      LaunchConfigurationName: !GetAtt Config.Name
`;

describe("parseTemplate", () => {
  it("reads CloudFormation's short forms as their long forms", () => {
    expect(parseTemplate(YAML).Resources?.Group?.Properties).toEqual({
      MaxSize: { Ref: "MaxSize" },
      LaunchConfigurationName: { "Fn::GetAtt": ["Config", "Name"] },
    });
  });

  it("parses a body once: the resource phase and the stack phase read the same template", () => {
    expect(parseTemplate(YAML)).toBe(parseTemplate(YAML));
    expect(parseTemplate(`${YAML}\n`)).not.toBe(parseTemplate(YAML));
  });

  it("throws for a body that is not a template, every time it is read", () => {
    for (let i = 0; i < 2; i++) {
      expect(() => parseTemplate("[1, 2]")).toThrow("not a template object");
      expect(() => parseTemplate("{ not json")).toThrow();
    }
  });

  it("reads any JSON template as JSON.parse does", () => {
    const template = fc.record({
      Resources: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.record({ Type: fc.string(), Properties: fc.dictionary(fc.string(), fc.jsonValue()) }),
      ),
    });
    fc.assert(
      fc.property(template, (t) => {
        const body = JSON.stringify(t);
        expect(parseTemplate(body)).toEqual(JSON.parse(body));
      }),
    );
  });
});
