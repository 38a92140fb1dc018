namespace Shouwang.Web.Features.Demo;

/// <summary>Plausible Chinese names: surnames by rough frequency, given names of one or two common characters.</summary>
public static class ChineseNames
{
    // The most common surnames, most frequent first; the generator favours the front of the list.
    private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    private const string MaleChars = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘";
    private const string FemaleChars = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟";

    public static string Surname(Random random)
    {
        // Squared uniform skews towards the common surnames at the front.
        var u = random.NextDouble();
        return Surnames[(int)(u * u * Surnames.Length)].ToString();
    }

    public static string GivenName(Random random, bool male)
    {
        var pool = male ? MaleChars : FemaleChars;
        var first = pool[random.Next(pool.Length)];
        return random.NextDouble() < 0.3 ? first.ToString() : string.Concat(first, pool[random.Next(pool.Length)]);
    }

    public static string FullName(Random random, bool male, string? surname = null) => (surname ?? Surname(random)) + GivenName(random, male);
}
